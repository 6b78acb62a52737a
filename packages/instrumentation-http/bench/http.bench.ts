// HTTP server overhead: a tiny handler under wrk (50 connections, loopback), bare vs. each way of getting
// HTTP metrics. Run: `npm run bench -- instrumentation-http` (BENCH_ROUNDS / BENCH_DURATION_MS shorten it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase, BenchServer } from '@otel-perf/bench';
import { freePort, loadTest, processCpuMs, runBench, startServer } from '@otel-perf/bench';

const fixtures = join(import.meta.dirname, 'fixtures');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONNECTIONS = 50;

/**
 * The newest @opentelemetry/auto-instrumentations-node (0.82.0) depends on @opentelemetry/sdk-node ^0.300.0,
 * which pins sdk-metrics 3.0.0 and core 3.0.0: as a workspace dependency it would add a second copy of
 * both next to our 3.1.0 (scripts/check-otel-versions.mjs fails). So it is installed here, at bench time,
 * into its own prefix outside the workspace (cached; a no-op when present).
 */
const AUTO_VERSION = '0.82.0';
function autoInstrumentationsRegister(): string {
  const cache = process.env.OTEL_PERF_CACHE ?? join(tmpdir(), 'otel-perf-cache');
  const prefix = join(cache, `bench-auto-instrumentations-node-${AUTO_VERSION}`);
  const pkg = join(prefix, 'node_modules', '@opentelemetry', 'auto-instrumentations-node', 'package.json');
  if (!existsSync(pkg)) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
    process.stdout.write(
      `installing @opentelemetry/auto-instrumentations-node@${AUTO_VERSION} into ${prefix}\n`,
    );
    execFileSync(
      'flock',
      [
        '/tmp/otel-perf-npm.lock',
        'npm',
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--save-exact',
        `@opentelemetry/auto-instrumentations-node@${AUTO_VERSION}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  }
  return createRequire(join(prefix, 'package.json')).resolve(
    '@opentelemetry/auto-instrumentations-node/register',
  );
}

/** A server case: started once in setup, measured by wrk every round, stopped in teardown. */
function serverCase(
  name: string,
  start: () => Promise<{ server: BenchServer; metricsUrl?: string }>,
  baseline = false,
): BenchCase {
  let server: BenchServer | undefined;
  return {
    name,
    baseline,
    setup: async () => {
      const started = await start();
      server = started.server;
      if (started.metricsUrl) await expectDurationMetric(name, server, started.metricsUrl);
    },
    run: async () => {
      const s = server as BenchServer;
      const pid = s.child.pid as number;
      const cpu0 = processCpuMs(pid);
      const r = await loadTest({ url: `${s.url}/`, connections: CONNECTIONS, durationMs });
      const cpuUsPerRequest = ((processCpuMs(pid) - cpu0) * 1000) / r.requests;
      return { value: r.requestsPerSec, extra: { 'p99 ms': r.p99Ms, 'server CPU µs/req': cpuUsPerRequest } };
    },
    teardown: async () => {
      await server?.stop();
    },
  };
}

/** Fails the bench if a case does not actually record the HTTP server duration histogram. */
async function expectDurationMetric(name: string, server: BenchServer, metricsUrl: string): Promise<void> {
  await fetch(`${server.url}/`).then((r) => r.text());
  const text = await (await fetch(metricsUrl)).text();
  if (!/^http_server_request_duration(_seconds)?_bucket\{/m.test(text)) {
    throw new Error(
      `${name}: ${metricsUrl} has no http_server_request_duration histogram:\n${text.slice(0, 2000)}\n${server.output()}`,
    );
  }
}

const app = join(fixtures, 'app.cjs');

function noBodySizeConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'otel-perf-bench-')), 'otel-perf.json');
  writeFileSync(file, JSON.stringify({ http: { bodySize: false } }));
  return file;
}
const quiet = { OTEL_LOG_LEVEL: 'error', OTEL_SERVICE_NAME: 'bench' };

async function withPrometheus(nodeArgs: string[], script: string, env: Record<string, string> = {}) {
  const promPort = await freePort();
  const server = await startServer(nodeArgs, script, {
    ...quiet,
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
    ...env,
  });
  return { server, metricsUrl: `http://127.0.0.1:${promPort}/metrics` };
}

const autoRegister = autoInstrumentationsRegister();

await runBench({
  title: `instrumentation-http: tiny handler, wrk ${CONNECTIONS} connections`,
  rounds,
  warmupRounds: 1,
  metric: { name: 'req/s', better: 'higher' },
  extraMetrics: [
    { name: 'p99 ms', better: 'lower' },
    // CPU time of the server process (all threads) per request: less sensitive to a shared machine than
    // req/s, and bare / instrumented is the throughput ratio the case would get on a core of its own.
    { name: 'server CPU µs/req', better: 'lower' },
  ],
  cases: [
    serverCase('bare node:http', async () => ({ server: await startServer([], app, quiet) }), true),
    serverCase('@otel-perf/node preload', () =>
      withPrometheus(['--require', '@otel-perf/node/register'], app),
    ),
    // The same without the two body-size histograms: one SDK recording per request instead of two.
    serverCase('@otel-perf/node preload, http.bodySize: false', () =>
      withPrometheus(['--require', '@otel-perf/node/register'], app, {
        OTEL_PERF_CONFIG: noBodySizeConfig(),
      }),
    ),
    serverCase('upstream instrumentation-http 0.301 (metrics only)', () =>
      withPrometheus([], join(fixtures, 'upstream-metrics.cjs')),
    ),
    serverCase(`auto-instrumentations-node ${AUTO_VERSION} preload`, () =>
      withPrometheus(['--require', autoRegister], app, {
        // Metrics only, like the other cases; no cloud resource detectors (they probe metadata endpoints).
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
      }),
    ),
    serverCase('prom-client middleware', async () => {
      const server = await startServer([], join(fixtures, 'prom-client.cjs'), quiet);
      return { server, metricsUrl: `${server.url}/metrics` };
    }),
  ],
});
