// What watching the event loop costs a tiny-handler HTTP server under wrk (50 connections, loopback):
// nothing (baseline), this package at its default 20 ms and at 10 ms, and a bare monitorEventLoopDelay at
// 10 ms and 20 ms. Run: `npm run bench -- instrumentation-runtime` (BENCH_ROUNDS / BENCH_DURATION_MS shorten it).
import { join } from 'node:path';
import type { BenchCase, BenchServer } from '@otel-perf/bench';
import { loadTest, runBench, startServer } from '@otel-perf/bench';

const server = join(import.meta.dirname, 'fixtures', 'server.mjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONNECTIONS = 50;

/** A server started once in setup with `env`, measured by wrk every round, stopped in teardown. */
function serverCase(name: string, env: Record<string, string>, baseline = false): BenchCase {
  let s: BenchServer | undefined;
  return {
    name,
    baseline,
    setup: async () => {
      s = await startServer([], server, env);
    },
    run: async () => {
      const r = await loadTest({ url: `${(s as BenchServer).url}/`, connections: CONNECTIONS, durationMs });
      if (s && /reported no/.test(s.output())) throw new Error(`${name}: ${s.output()}`);
      return { value: r.requestsPerSec, extra: { 'p99 ms': r.p99Ms } };
    },
    teardown: async () => {
      await s?.stop();
    },
  };
}

await runBench({
  title: `instrumentation-runtime: tiny handler, wrk ${CONNECTIONS} connections`,
  rounds,
  warmupRounds: 1,
  metric: { name: 'req/s', better: 'higher' },
  extraMetrics: [{ name: 'p99 ms', better: 'lower' }],
  cases: [
    serverCase('off', { MODE: 'off' }, true),
    serverCase('RuntimeInstrumentation (default, 20 ms)', { MODE: 'runtime' }),
    serverCase('RuntimeInstrumentation at 10 ms', { MODE: 'runtime', RESOLUTION: '10' }),
    serverCase('bare monitorEventLoopDelay 10 ms', { MODE: 'eld', RESOLUTION: '10' }),
    serverCase('bare monitorEventLoopDelay 20 ms', { MODE: 'eld', RESOLUTION: '20' }),
  ],
});
