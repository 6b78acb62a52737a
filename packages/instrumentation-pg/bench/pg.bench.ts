// Queries per second through a pg Pool of 10 against the real PostgreSQL (scripts/services/postgres.sh), with
// and without the instrumentation, in one long-lived load process (worker.cjs) that runs the cases alternately
// (20 callers, 3 s a phase), so machine noise hits every case. Also reports the load process's CPU time per query,
// which is what the instrumentation adds.
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { runBench } from '@otel-perf/bench';

const PHASE_MS = 3000;
const CONCURRENCY = 20;
let worker: ChildProcess | undefined;

function start(): Promise<void> {
  worker = fork(join(import.meta.dirname, 'worker.cjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const w = worker;
  return new Promise((resolve, reject) => {
    w.once('message', (m) =>
      m === 'ready' ? resolve() : reject(new Error(`unexpected ${JSON.stringify(m)}`)),
    );
    w.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
}

function measure(
  name: 'bare' | 'instrumented' | 'fast-path' | 'wrapped-disabled',
): Promise<{ value: number; extra: Record<string, number> }> {
  const w = worker;
  if (!w) throw new Error('bench worker not started');
  return new Promise((resolve, reject) => {
    w.once(
      'message',
      (m: { ok: boolean; result?: { qps: number; cpuUsPerQuery: number }; error?: string }) => {
        if (!m.ok || !m.result) return reject(new Error(m.error));
        resolve({ value: m.result.qps, extra: { 'node CPU µs/query': m.result.cpuUsPerQuery } });
      },
    );
    w.send({ case: name, ms: PHASE_MS, concurrency: CONCURRENCY });
  });
}

async function stop(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (!w || w.exitCode !== null) return;
  const exited = new Promise((resolve) => w.once('exit', resolve));
  w.send('stop');
  const t = setTimeout(() => w.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

await runBench({
  title: 'instrumentation-pg: queries/s through a pool of 10',
  rounds: 9,
  metric: { name: 'queries/s', better: 'higher' },
  extraMetrics: [{ name: 'node CPU µs/query', better: 'lower' }],
  cases: [
    { name: 'bare pg', baseline: true, setup: start, run: () => measure('bare') },
    { name: 'instrumented', run: () => measure('instrumented') },
    // fastPath: true, its histograms handed to the same reader through its MetricProducer (as in the distro).
    { name: 'instrumented, fast path', run: () => measure('fast-path') },
    // A measured pool while the instrumentation is disabled: what its pass-through wrappers cost.
    { name: 'disabled (wrappers pass through)', run: () => measure('wrapped-disabled'), teardown: stop },
  ],
});
