import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Subprocess tests load the built package (`--require @otel-perf/node/register`), so build it and its
 * workspace dependencies first. Under `turbo run test` (which sets TURBO_HASH) the `build` dependency of
 * the test task has already done that.
 */
export default function setup(): void {
  if (process.env.TURBO_HASH) return;
  execFileSync('npx', ['turbo', 'run', 'build', '--filter=@otel-perf/node...', '--output-logs=errors-only'], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    stdio: 'inherit',
  });
}
