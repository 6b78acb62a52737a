import type { PoolOptionsLike } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const port = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isInteger(v)
    ? String(v)
    : typeof v === 'string' && /^\d+$/.test(v)
      ? v
      : undefined;

/** Host, port and database of a pool's options (or its `connectionString`), with pg's defaults. */
export function poolTarget(options: PoolOptionsLike): { host: string; port: string; database: string } {
  let fromUrl: { host?: string; port?: string; database?: string } = {};
  const cs = str(options.connectionString);
  if (cs !== undefined) {
    try {
      const url = new URL(cs);
      fromUrl = {
        host: url.hostname ? decodeURIComponent(url.hostname) : undefined,
        port: url.port || undefined,
        database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
      };
    } catch {
      // a socket path or something else pg accepts and URL does not: fall back to the other options
    }
  }
  const env = process.env;
  const host = str(options.host) ?? fromUrl.host ?? str(env.PGHOST) ?? 'localhost';
  const p = port(options.port) ?? fromUrl.port ?? port(env.PGPORT) ?? '5432';
  const database =
    str(options.database) ??
    fromUrl.database ??
    str(env.PGDATABASE) ??
    str(options.user) ??
    str(env.PGUSER) ??
    '';
  return { host, port: p, database };
}

/** The default pool name: `application_name` when set, otherwise `host:port/database`. */
export function defaultPoolName(options: PoolOptionsLike): string {
  const app = str(options.application_name);
  if (app !== undefined) return app;
  const t = poolTarget(options);
  return `${t.host}:${t.port}/${t.database}`;
}

/** `base`, or `base#2`, `base#3`... the first that no live pool uses. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}#${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
