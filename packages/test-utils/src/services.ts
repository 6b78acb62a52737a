/**
 * Connection settings for the real servers integration tests use. `scripts/services/*.sh` start them
 * (the README's test command runs those scripts); a test that cannot reach its server fails with a
 * message saying which script to run. Nothing here skips a test.
 */
export const postgresConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  password: process.env.PGPASSWORD,
} as const;

export const redisConfig = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
} as const;

/** A message for a test that could not reach a server. */
export function serviceHint(service: 'postgres' | 'redis', cause: unknown): Error {
  return new Error(
    `${service} is not reachable (${String(cause)}). Start it with: bash scripts/services/${service}.sh`,
  );
}
