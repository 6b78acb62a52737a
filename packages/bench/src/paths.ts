import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest directory at or above `from` whose package.json declares workspaces (the repo root). */
export function findRepoRoot(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
      } catch {
        // not JSON: keep looking upwards
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** `$OTEL_PERF_BENCH_RESULTS`, else `<repo root>/bench-results`, else `./bench-results`. */
export function defaultResultsDir(): string {
  const fromEnv = process.env.OTEL_PERF_BENCH_RESULTS;
  if (fromEnv) return resolve(fromEnv);
  return join(findRepoRoot() ?? process.cwd(), 'bench-results');
}
