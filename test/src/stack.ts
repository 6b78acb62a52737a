import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { close, freePort, listen, waitFor } from '@otel-perf/test-utils';
import { parse, stringify } from 'yaml';
import { buildCollector, COLLECTOR_DIR, requireBinary, SERVER_BINARIES } from './binaries.js';
import { running, type ServerProcess, startServer } from './processes.js';

/** One webhook call from Alertmanager (the fields the tests read). */
export interface AlertmanagerWebhook {
  status: 'firing' | 'resolved';
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface StackOptions {
  /** Extra `host:port` targets for the `node-direct` scrape job (services scraped without the collector). */
  directTargets?: string[];
  /** Extra rule files loaded next to otel-collector/rules/*.yml (absolute paths). */
  extraRuleFiles?: string[];
}

/** Prometheus, Alertmanager and the collector, started on free loopback ports with temporary data. */
export interface Stack {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Base URL of the collector's OTLP/HTTP receiver (for OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly otlpHttpUrl: string;
  /** URL of the collector's OTLP/gRPC receiver (for OTEL_EXPORTER_OTLP_ENDPOINT with protocol grpc). */
  readonly otlpGrpcUrl: string;
  /** The collector's prometheus exporter (`/metrics`), scraped by the job `otelcol-exporter`. */
  readonly exporterUrl: string;
  /** The collector's own telemetry (`/metrics`), scraped by the job `otelcol`. */
  readonly telemetryUrl: string;
  /** A folder removed by stop(). */
  readonly dir: string;
  /** Every webhook call Alertmanager made so far. */
  readonly webhooks: AlertmanagerWebhook[];
  /** The processes' output, for failure messages. */
  logs(): string;
  /** Stops the collector alone (SIGTERM), for collector-down checks; stop() still stops the rest. */
  stopCollector(): Promise<void>;
  stop(): Promise<void>;
}

type Yaml = Record<string, unknown>;
interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[] }[];
}

function readYaml(path: string): Yaml {
  return parse(readFileSync(path, 'utf8')) as Yaml;
}

/**
 * The committed prometheus.yml with the test's ports, 1 s scrape and evaluation intervals, and absolute rule
 * paths. Everything else (jobs, honor_labels) is used as committed.
 */
function prometheusConfig(ports: Ports, options: StackOptions): Yaml {
  const config = readYaml(join(COLLECTOR_DIR, 'prometheus', 'prometheus.yml'));
  config.global = { ...(config.global as Yaml), scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = [join(COLLECTOR_DIR, 'rules', '*.yml'), ...(options.extraRuleFiles ?? [])];
  config.alerting = {
    alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }],
  };
  const targets: Record<string, string[]> = {
    otelcol: [`127.0.0.1:${ports.telemetry}`],
    'otelcol-exporter': [`127.0.0.1:${ports.exporter}`],
    'node-direct': options.directTargets ?? [],
  };
  const jobs = config.scrape_configs as ScrapeConfig[];
  for (const job of jobs) {
    const t = targets[job.job_name];
    if (!t) throw new Error(`prometheus.yml has a job the test does not know: ${job.job_name}`);
    job.static_configs = [{ targets: t }];
  }
  config.scrape_configs = jobs.filter((j) => (j.static_configs[0]?.targets.length ?? 0) > 0);
  return config;
}

/** The committed alertmanager.yml with the test's webhook URL and 1 s grouping timers. */
function alertmanagerConfig(webhookUrl: string): Yaml {
  const config = readYaml(join(COLLECTOR_DIR, 'alertmanager', 'alertmanager.yml'));
  for (const receiver of config.receivers as { webhook_configs?: { url: string }[] }[]) {
    for (const hook of receiver.webhook_configs ?? []) hook.url = webhookUrl;
  }
  const fast = (route: Yaml) => {
    route.group_wait = '1s';
    route.group_interval = '1s';
    route.repeat_interval = '1m';
    for (const child of (route.routes as Yaml[] | undefined) ?? []) fast(child);
  };
  fast(config.route as Yaml);
  return config;
}

interface Ports {
  prometheus: number;
  alertmanager: number;
  grpc: number;
  http: number;
  exporter: number;
  telemetry: number;
  health: number;
}

async function ok(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitReady(p: ServerProcess, url: string): Promise<void> {
  await waitFor(
    async () => {
      if (!running(p)) throw new Error(`${p.name} exited:\n${p.output()}`);
      return ok(url);
    },
    { timeoutMs: 60_000, intervalMs: 200, what: `${p.name} at ${url}` },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n--- ${p.name} output ---\n${p.output()}`);
  });
}

/**
 * Builds (or reuses) the collector and starts Alertmanager, Prometheus (remote-write receiver on) and the
 * collector with otel-collector/config.yaml, each on free loopback ports. Always call stop().
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const prometheusBin = requireBinary(SERVER_BINARIES.prometheus);
  const alertmanagerBin = requireBinary(SERVER_BINARIES.alertmanager);
  const collectorBin = buildCollector();

  const dir = mkdtempSync(join(tmpdir(), 'otel-perf-e2e-'));
  const processes: ServerProcess[] = [];
  const webhooks: AlertmanagerWebhook[] = [];
  const hook: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      try {
        webhooks.push(JSON.parse(body) as AlertmanagerWebhook);
        res.statusCode = 200;
      } catch {
        res.statusCode = 400;
      }
      res.end();
    });
  });
  const stop = async () => {
    await Promise.all(processes.reverse().map((p) => p.stop()));
    await close(hook);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const hookPort = await listen(hook);
    const ports: Ports = {
      prometheus: await freePort(),
      alertmanager: await freePort(),
      grpc: await freePort(),
      http: await freePort(),
      exporter: await freePort(),
      telemetry: await freePort(),
      health: await freePort(),
    };

    const amConfig = join(dir, 'alertmanager.yml');
    writeFileSync(amConfig, stringify(alertmanagerConfig(`http://127.0.0.1:${hookPort}/alerts`)));
    const alertmanager = startServer('alertmanager', alertmanagerBin, [
      `--config.file=${amConfig}`,
      `--storage.path=${join(dir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${ports.alertmanager}`,
      '--cluster.listen-address=', // no HA gossip port
    ]);
    processes.push(alertmanager);

    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, stringify(prometheusConfig(ports, options)));
    const prometheus = startServer('prometheus', prometheusBin, [
      `--config.file=${promConfig}`,
      `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--web.enable-remote-write-receiver',
    ]);
    processes.push(prometheus);

    const prometheusUrl = `http://127.0.0.1:${ports.prometheus}`;
    const alertmanagerUrl = `http://127.0.0.1:${ports.alertmanager}`;
    await waitReady(alertmanager, `${alertmanagerUrl}/-/ready`);
    await waitReady(prometheus, `${prometheusUrl}/-/ready`);

    const collector = startServer(
      'collector',
      collectorBin,
      ['--config', join(COLLECTOR_DIR, 'config.yaml')],
      {
        env: {
          OTELCOL_OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.grpc}`,
          OTELCOL_OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.http}`,
          OTELCOL_PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.exporter}`,
          OTELCOL_REMOTE_WRITE_ENDPOINT: `${prometheusUrl}/api/v1/write`,
          OTELCOL_TELEMETRY_HOST: '127.0.0.1',
          OTELCOL_TELEMETRY_PORT: String(ports.telemetry),
          OTELCOL_HEALTH_ENDPOINT: `127.0.0.1:${ports.health}`,
          OTELCOL_BATCH_TIMEOUT: '200ms',
        },
      },
    );
    processes.push(collector);
    await waitReady(collector, `http://127.0.0.1:${ports.health}/`);

    return {
      prometheusUrl,
      alertmanagerUrl,
      otlpHttpUrl: `http://127.0.0.1:${ports.http}`,
      otlpGrpcUrl: `http://127.0.0.1:${ports.grpc}`,
      exporterUrl: `http://127.0.0.1:${ports.exporter}/metrics`,
      telemetryUrl: `http://127.0.0.1:${ports.telemetry}/metrics`,
      dir,
      webhooks,
      logs: () => processes.map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n'),
      stopCollector: () => collector.stop(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
