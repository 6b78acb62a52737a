/**
 * The whole pipeline on real servers: an app started with the otel-perf preload exports OTLP to the collector
 * built from otel-collector/builder-config.yaml, which feeds Prometheus by scrape and by remote write;
 * Prometheus evaluates otel-collector/rules and sends alerts to Alertmanager, which calls a webhook.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type NodeProcess, runNode, waitFor } from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  COLLECTOR_DIR,
  promtoolCheckMetrics,
  queryPrometheus,
  queryScalar,
  queryVector,
  type Stack,
  startStack,
} from '../src/index.js';

const REQUESTS = 40;
const JOB = 'e2e-app';
const PATHS = ['remote_write', 'scrape'] as const;
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'app.cjs');
/** The Grafana dashboards' panel queries, a JSON array of PromQL strings built by otel-collector/grafana. */
const GRAFANA_QUERIES = [
  join(COLLECTOR_DIR, 'grafana', 'dist', 'promql.json'),
  join(COLLECTOR_DIR, 'grafana', 'promql.json'),
].find((f) => existsSync(f));

interface RuleGroupFile {
  groups: { name: string; interval?: string; rules: Record<string, unknown>[] }[];
}

/**
 * Copies of committed alerts (same expression and labels, plus `e2e: fast`) that fire without waiting
 * their `for:`, in a group evaluated every second, so the test sees them reach Alertmanager in seconds.
 */
function fastRules(dir: string, alerts: Record<string, string>): string {
  const rules = Object.entries(alerts).map(([alert, file]) => {
    const groups = parse(readFileSync(join(COLLECTOR_DIR, 'rules', file), 'utf8')) as RuleGroupFile;
    const rule = groups.groups.flatMap((g) => g.rules).find((r) => r.alert === alert);
    if (!rule) throw new Error(`otel-collector/rules/${file} has no ${alert} alert`);
    return { ...rule, for: '0s', labels: { ...(rule.labels as Record<string, string>), e2e: 'fast' } };
  });
  const file = join(dir, 'e2e-fast-rules.yml');
  writeFileSync(
    file,
    stringify({ groups: [{ name: 'e2e-fast', interval: '1s', rules }] } satisfies RuleGroupFile),
  );
  return file;
}

async function drive(port: number, path: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    await res.arrayBuffer();
    expect(res.status).toBe(path === '/fail' ? 500 : 200);
  }
}

describe('collector pipeline, end to end', () => {
  let stack: Stack;
  let app: NodeProcess;
  let appPort: number;
  let metricsPort: number;
  let rulesDir: string | undefined;

  const fail = (err: unknown): never => {
    throw new Error(`${String(err)}\n${stack?.logs() ?? ''}\n--- app stderr ---\n${app?.stderr() ?? ''}`);
  };

  /** The request count of `status` per ingest path, as Prometheus has it now. */
  const counts = async (status: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (
        await queryVector(
          stack.prometheusUrl,
          `sum by (ingest_path) (http_server_request_duration_seconds_count{job="${JOB}",http_response_status_code="${status}"})`,
        )
      ).map((s) => [s.metric.ingest_path ?? '', Number(s.value[1])]),
    );

  /** The request count of `status` in the direct scrape of the app's /metrics (job node-direct). */
  const directCount = (status: string): Promise<number | undefined> =>
    queryScalar(
      stack.prometheusUrl,
      `sum(http_server_request_duration_seconds_count{job="node-direct",http_response_status_code="${status}"})`,
    );

  /** Waits until both paths report `expected` requests of `status`. */
  const waitForCount = (status: string, expected: number) =>
    waitFor(
      async () => {
        const c = await counts(status);
        return PATHS.every((p) => c[p] === expected) ? c : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `${status} _count == ${expected} on both paths` },
    ).catch(async (err: unknown) => fail(`${String(err)}; last: ${JSON.stringify(await counts(status))}`));

  /**
   * One request, then the rest once Prometheus has the series: a counter's first sample is not an increase
   * to rate(), so requests made before the series exists would be invisible to every rate-based rule.
   */
  const send = async (path: '/ok' | '/fail', total: number) => {
    const status = path === '/ok' ? '200' : '500';
    const before = (await counts(status)).scrape ?? 0;
    await drive(appPort, path, 1);
    await waitForCount(status, before + 1);
    // The direct scrape (job node-direct) is a third source of the same series: it must have it too.
    await waitFor(async () => (await directCount(status)) === before + 1, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: `${status} _count == ${before + 1} in the direct scrape`,
    }).catch(async (err: unknown) => fail(`${String(err)}; last: ${await directCount(status)}`));
    await drive(appPort, path, total - 1);
  };

  beforeAll(async () => {
    metricsPort = await freePort();
    rulesDir = mkdtempSync(join(tmpdir(), 'otel-perf-e2e-rules-'));
    stack = await startStack({
      directTargets: [`127.0.0.1:${metricsPort}`],
      extraRuleFiles: [
        fastRules(rulesDir, { Http5xxRatioHigh: 'http.yml', OtelCollectorDown: 'collector.yml' }),
      ],
    });
    app = runNode(['--require', '@otel-perf/node/register', FIXTURE], {
      cwd: join(import.meta.dirname, '..'),
      timeoutMs: 10 * 60_000,
      env: {
        OTEL_SERVICE_NAME: JOB,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
        OTEL_METRICS_EXPORTER: 'prometheus,otlp',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpHttpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        OTEL_LOG_LEVEL: 'warn',
      },
    });
    const [, port] = await app.waitForOutput(/listening (\d+)/, 30_000);
    appPort = Number(port);
    await send('/ok', REQUESTS);
  });

  afterAll(async () => {
    if (app) {
      app.kill('SIGTERM');
      const killer = setTimeout(() => app.kill('SIGKILL'), 5_000);
      await app.exited;
      clearTimeout(killer);
    }
    await stack?.stop();
    if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
  });

  it('counts every request in the HTTP histogram, by scrape and by remote write, without mixing them', async () => {
    const got = await waitForCount('200', REQUESTS);
    // Exactly the two paths: the collector labels each, so the same series never arrives twice unlabelled.
    expect(got).toEqual({ remote_write: REQUESTS, scrape: REQUESTS });
    // The same app scraped directly (job node-direct) has no ingest_path and counts the same requests.
    const direct = () =>
      queryScalar(stack.prometheusUrl, 'sum(http_server_request_duration_seconds_count{job="node-direct"})');
    await waitFor(async () => (await direct()) === REQUESTS, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'the direct scrape',
    }).catch(async (err: unknown) => fail(`${String(err)}; last: ${await direct()}`));
  });

  it('accepts OTLP over gRPC with delta temporality, made cumulative for both paths', async () => {
    const job = 'e2e-app-grpc-delta';
    const grpcApp = runNode(['--require', '@otel-perf/node/register', FIXTURE], {
      cwd: join(import.meta.dirname, '..'),
      timeoutMs: 2 * 60_000,
      env: {
        OTEL_SERVICE_NAME: job,
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0', // its metrics server (health routes) on a free port
        OTEL_EXPORTER_OTLP_ENDPOINT: stack.otlpGrpcUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
      },
    });
    const query = `sum by (ingest_path) (http_server_request_duration_seconds_count{job="${job}"})`;
    const byPath = async () =>
      JSON.stringify(
        Object.fromEntries(
          (await queryVector(stack.prometheusUrl, query)).map((s) => [
            s.metric.ingest_path,
            Number(s.value[1]),
          ]),
        ),
      );
    const waitForBoth = (n: number) =>
      waitFor(async () => (await byPath()) === JSON.stringify({ remote_write: n, scrape: n }), {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: `${n} delta-exported requests on both paths`,
      }).catch(async (err: unknown) => fail(`${String(err)}; last: ${await byPath()}\n${grpcApp.stderr()}`));
    try {
      const [, port] = await grpcApp.waitForOutput(/listening (\d+)/, 30_000);
      // Two exports of deltas (2, then 3): the collector adds them up to a cumulative 5.
      await drive(Number(port), '/ok', 2);
      await waitForBoth(2);
      await drive(Number(port), '/ok', 3);
      await waitForBoth(5);
    } finally {
      grpcApp.kill('SIGKILL');
      await grpcApp.exited;
    }
  });

  it('keeps the http preset bucket boundaries exactly, on both paths', async () => {
    const expected = [...HTTP_DURATION_BUCKETS.map(String), '+Inf'].sort();
    for (const path of PATHS) {
      const series = await queryVector(
        stack.prometheusUrl,
        `count by (le) (http_server_request_duration_seconds_bucket{job="${JOB}",ingest_path="${path}"})`,
      );
      expect(series.map((s) => s.metric.le).sort(), path).toEqual(expected);
      // The latency SLI's bucket, and +Inf equal to _count.
      const under = await queryScalar(
        stack.prometheusUrl,
        `sum(http_server_request_duration_seconds_bucket{job="${JOB}",ingest_path="${path}",le="+Inf"})`,
      );
      expect(under, path).toBe(REQUESTS);
    }
  });

  it('delivers the runtime metrics the rules read (event-loop delay, heap) by both paths', async () => {
    const metrics = [
      'nodejs_eventloop_delay_seconds_bucket',
      'nodejs_eventloop_delay_p99_seconds',
      'v8js_memory_heap_used_bytes',
      'v8js_memory_heap_limit_bytes',
    ];
    for (const metric of metrics) {
      const paths = await waitFor(
        async () => {
          const v = await queryVector(
            stack.prometheusUrl,
            `count by (ingest_path) (${metric}{job="${JOB}"})`,
          );
          const p = v.map((s) => s.metric.ingest_path).sort();
          return p.length === 2 ? p : undefined;
        },
        {
          timeoutMs: 30_000,
          intervalMs: 500,
          what: `${metric} on both paths (from @otel-perf/instrumentation-runtime, on by default in the distro)`,
        },
      );
      expect(paths).toEqual([...PATHS]);
    }
    // NodeHeapNearLimit's ratio, per path: a fraction of the heap limit.
    const ratios = await queryVector(
      stack.prometheusUrl,
      `sum by (ingest_path) (v8js_memory_heap_used_bytes{job="${JOB}"})
       / sum by (ingest_path) (v8js_memory_heap_limit_bytes{job="${JOB}"})`,
    );
    expect(ratios.map((r) => r.metric.ingest_path).sort()).toEqual([...PATHS]);
    for (const r of ratios) {
      expect(Number(r.value[1])).toBeGreaterThan(0);
      expect(Number(r.value[1])).toBeLessThan(1);
    }
  });

  it('joins resource attributes through target_info on both paths', async () => {
    const joined = await queryVector(
      stack.prometheusUrl,
      `sum by (ingest_path, deployment_environment_name) (
         http_server_request_duration_seconds_count{job="${JOB}"}
         * on (job, instance, ingest_path) group_left (deployment_environment_name) target_info
       )`,
    );
    expect(
      joined
        .map((s) => [s.metric.ingest_path, s.metric.deployment_environment_name, Number(s.value[1])])
        .sort(),
    ).toEqual([
      ['remote_write', 'e2e', REQUESTS],
      ['scrape', 'e2e', REQUESTS],
    ]);
  });

  it('evaluates every committed rule on live data without errors', async () => {
    interface RulesResponse {
      data: {
        groups: {
          name: string;
          file: string;
          rules: { name: string; health: string; lastError?: string }[];
        }[];
      };
    }
    const rules = await waitFor(
      async () => {
        const res = await fetch(`${stack.prometheusUrl}/api/v1/rules`);
        const body = (await res.json()) as RulesResponse;
        const all = body.data.groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every rule evaluated once' },
    );
    const groups = new Set(rules.map((r) => r.group));
    for (const g of ['otel-perf-http-slo', 'otel-perf-http', 'otel-perf-runtime', 'otel-perf-collector']) {
      expect(groups.has(g), g).toBe(true);
    }
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
    // The SLO recording rule produces a value from the real histogram: no request was slow, so 0.
    const slo = () =>
      queryScalar(
        stack.prometheusUrl,
        `job:http_server_latency_slo_errors:ratio_rate5m{job="${JOB}",ingest_path="scrape"}`,
      );
    await waitFor(async () => (await slo()) === 0, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'the SLO recording rule',
    }).catch(async (err: unknown) => fail(`${String(err)}; last: ${await slo()}`));
  });

  it("passes promtool check metrics on the collector's exposition and on the distro's /metrics", async () => {
    for (const url of [stack.exporterUrl, `http://127.0.0.1:${metricsPort}/metrics`]) {
      const body = await (await fetch(url)).text();
      expect(body).toContain('http_server_request_duration_seconds_bucket');
      const check = promtoolCheckMetrics(body);
      expect({ url, ...check }).toEqual({ url, status: 0, output: '' });
    }
  });

  it('fires an alert from a 5xx burst and Alertmanager calls the webhook, once per source', async () => {
    await send('/fail', REQUESTS);
    // The collector's two paths (job = service name) and the direct scrape (job node-direct, no ingest_path).
    const sources = [`${JOB} remote_write`, `${JOB} scrape`, 'node-direct '];
    const source = (labels: Record<string, string>) => `${labels.job} ${labels.ingest_path ?? ''}`;
    const firing = () =>
      stack.webhooks
        .flatMap((w) => w.alerts)
        .filter((a) => a.status === 'firing' && a.labels.alertname === 'Http5xxRatioHigh');
    const alerts = await waitFor(
      () => {
        const seen = new Set(firing().map((a) => source(a.labels)));
        return sources.every((s) => seen.has(s)) ? firing() : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `Http5xxRatioHigh webhooks for ${sources.join(', ')}` },
    ).catch((err: unknown) =>
      fail(`${String(err)}; seen: ${JSON.stringify([...new Set(firing().map((a) => source(a.labels)))])}`),
    );
    expect([...new Set(alerts.map((a) => source(a.labels)))].sort()).toEqual(sources);
    for (const a of alerts) {
      expect(a.labels).toMatchObject({ severity: 'page', component: 'http', e2e: 'fast' });
      // Half of the requests failed, well over the 5% threshold.
      expect(a.annotations.summary).toMatch(/^(e2e-app|node-direct): \d+(\.\d+)?% of requests answered 5xx$/);
    }
  });

  it('counts a breaker opening on both paths, and CircuitBreakerOpened reaches Alertmanager', async () => {
    // The dependency is down: two failures open the breaker (volumeThreshold 2), the rest are rejected.
    await drive(appPort, '/breaker', 5);
    const opened = `circuit_breaker_transitions_total{job="${JOB}",circuit_breaker_name="e2e-upstream",circuit_breaker_state_to="open"}`;
    const byPath = async () =>
      Object.fromEntries(
        (await queryVector(stack.prometheusUrl, `sum by (ingest_path) (${opened})`)).map((s) => [
          s.metric.ingest_path,
          Number(s.value[1]),
        ]),
      );
    await waitFor(async () => Object.keys(await byPath()).length === 2, {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: 'the breaker transition on both paths',
    }).catch(fail);
    expect(await byPath()).toEqual({ remote_write: 1, scrape: 1 });
    // The series is born at 1, so the rule's "new series" branch is what fires (increase() sees nothing).
    const sources = [`${JOB} remote_write`, `${JOB} scrape`];
    const alerts = await waitFor(
      () => {
        const firing = stack.webhooks
          .flatMap((w) => w.alerts)
          .filter((a) => a.status === 'firing' && a.labels.alertname === 'CircuitBreakerOpened');
        const seen = new Set(firing.map((a) => `${a.labels.job} ${a.labels.ingest_path ?? ''}`));
        return sources.every((s) => seen.has(s)) ? firing : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'CircuitBreakerOpened webhooks for both paths' },
    ).catch(fail);
    for (const a of alerts.filter((x) => x.labels.job === JOB)) {
      expect(a.labels).toMatchObject({ severity: 'ticket', circuit_breaker_name: 'e2e-upstream' });
    }
  });

  // The Grafana dashboards' queries (generated by otel-collector/grafana), run against the live data.
  // Registered only when the dashboards' build produced the list (npm test builds before the suites).
  if (GRAFANA_QUERIES) {
    const file = GRAFANA_QUERIES;
    it('answers every Grafana panel query', async () => {
      const queries = JSON.parse(readFileSync(file, 'utf8')) as string[];
      expect(queries.length).toBeGreaterThan(0);
      for (const expr of queries) {
        const r = await queryPrometheus(stack.prometheusUrl, expr);
        expect({ expr, status: r.status, error: r.error }).toEqual({
          expr,
          status: 'success',
          error: undefined,
        });
      }
    });
  }

  // Last: it stops the collector.
  it('fires OtelCollectorDown through Alertmanager when the collector stops', async () => {
    expect(
      stack.webhooks.flatMap((w) => w.alerts).some((a) => a.labels.alertname === 'OtelCollectorDown'),
    ).toBe(false);
    await stack.stopCollector();
    const alert = await waitFor(
      () =>
        stack.webhooks
          .flatMap((w) => w.alerts)
          .find((a) => a.status === 'firing' && a.labels.alertname === 'OtelCollectorDown'),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the OtelCollectorDown webhook' },
    ).catch(fail);
    expect(alert.labels).toMatchObject({
      job: 'otelcol',
      severity: 'page',
      component: 'collector',
      e2e: 'fast',
    });
  });
});
