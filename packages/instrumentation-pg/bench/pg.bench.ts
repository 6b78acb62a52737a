// Queries per second through a pg Pool of 10 against the real PostgreSQL (scripts/services/postgres.sh), with
// and without the instrumentation. Each run is its own Node process (pg is patched process-wide), 20 callers
// for 3 s; the cases alternate within each round so machine noise hits both.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runBench } from '@otel-perf/bench';

const run = promisify(execFile);
const load = join(import.meta.dirname, 'load.cjs');
const DURATION_MS = 3000;
const CONCURRENCY = 20;

async function qps(instrumented: boolean): Promise<number> {
  const { stdout } = await run(process.execPath, [load, String(DURATION_MS), String(CONCURRENCY)], {
    env: { ...process.env, BENCH_PG_INSTRUMENTED: instrumented ? '1' : '0' },
    timeout: 60_000,
  });
  return (JSON.parse(stdout) as { qps: number }).qps;
}

await runBench({
  title: 'instrumentation-pg: queries/s through a pool of 10',
  rounds: 7,
  metric: { name: 'queries/s', better: 'higher' },
  cases: [
    { name: 'bare pg', baseline: true, run: () => qps(false) },
    { name: 'instrumented', run: () => qps(true) },
  ],
});
