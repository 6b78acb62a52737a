// What watching the event loop costs a tiny-handler HTTP server: nothing (baseline), this package at its
// default 20 ms and at 10 ms, and a bare monitorEventLoopDelay at 10 ms and 20 ms.
//  1. under wrk (50 connections, loopback): req/s, p99, and the server's own CPU time per request (steadier
//     than req/s on a shared machine: it does not count the time the server was waiting for a core);
//  2. idle: the server's CPU time per second with no traffic (the sampler's own cost).
// Run: `npm run bench -- instrumentation-runtime` (BENCH_ROUNDS / BENCH_DURATION_MS shorten it).
import { join } from 'node:path';
import type { BenchCase, BenchSample, BenchServer } from '@otel-perf/bench';
import { loadTest, runBench, startServer } from '@otel-perf/bench';

const server = join(import.meta.dirname, 'fixtures', 'server.mjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONNECTIONS = 50;

const MODES: [name: string, env: Record<string, string>][] = [
  ['off', { MODE: 'off' }],
  ['RuntimeInstrumentation (default, 20 ms)', { MODE: 'runtime' }],
  ['RuntimeInstrumentation at 10 ms', { MODE: 'runtime', RESOLUTION: '10' }],
  ['bare monitorEventLoopDelay 10 ms', { MODE: 'eld', RESOLUTION: '10' }],
  ['bare monitorEventLoopDelay 20 ms', { MODE: 'eld', RESOLUTION: '20' }],
];

/** The server's own CPU time (user + system), in microseconds. */
async function cpuMicros(s: BenchServer): Promise<number> {
  const u = (await (await fetch(`${s.url}/__cpu`)).json()) as { user: number; system: number };
  return u.user + u.system;
}

/** A server started once in setup, measured by `measure` every round, stopped in teardown. */
function serverCase(
  name: string,
  env: Record<string, string>,
  measure: (s: BenchServer) => Promise<BenchSample>,
): BenchCase {
  let s: BenchServer | undefined;
  return {
    name,
    baseline: name === 'off',
    setup: async () => {
      s = await startServer([], server, env);
    },
    run: async () => {
      const result = await measure(s as BenchServer);
      if (s && /reported no/.test(s.output())) throw new Error(`${name}: ${s.output()}`);
      return result;
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
  extraMetrics: [
    { name: 'CPU µs/req', better: 'lower' },
    { name: 'p99 ms', better: 'lower' },
  ],
  cases: MODES.map(([name, env]) =>
    serverCase(name, env, async (s) => {
      const before = await cpuMicros(s);
      const r = await loadTest({ url: `${s.url}/`, connections: CONNECTIONS, durationMs });
      const cpu = (await cpuMicros(s)) - before;
      return { value: r.requestsPerSec, extra: { 'CPU µs/req': cpu / r.requests, 'p99 ms': r.p99Ms } };
    }),
  ),
});

await runBench({
  title: 'instrumentation-runtime: idle server CPU',
  rounds,
  metric: { name: 'CPU ms/s', better: 'lower' },
  cases: MODES.map(([name, env]) =>
    serverCase(name, env, async (s) => {
      const before = await cpuMicros(s);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, Math.min(durationMs, 3000)));
      const cpu = (await cpuMicros(s)) - before;
      return cpu / 1000 / ((performance.now() - t0) / 1000);
    }),
  ),
});
