import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { OtelPerfPlugin, PluginContext, ReaderContext, Route } from '@otel-perf/core';
import type { MetricSnapshot } from '@otel-perf/health';
import { SnapshotReader, snapshotProducers } from '@otel-perf/health';
import { type Asset, loadAssets } from './assets.js';
import { buildFrame, type Frame, pickGroups } from './frames.js';
import { RingBuffer } from './history.js';
import { METRIC_GROUPS, type MetricGroup } from './sources.js';
import { FrameStream } from './stream.js';
import type { DashboardConfig, Subscription } from './types.js';

interface HealthSource {
  health: { evaluate(kind: 'performance'): Promise<{ status: string; scores: { overall: number | null } }> };
}
interface AlertSource {
  activeAlerts(): ReadonlyArray<unknown>;
}

function validate(c: DashboardConfig): void {
  const int = (key: keyof DashboardConfig, min: number, max: number) => {
    const v = c[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min || (v as number) > max)) {
      throw new Error(
        `@otel-perf/dashboard: ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
      );
    }
  };
  int('intervalMs', 250, 3_600_000);
  int('historySize', 2, 100_000);
  int('maxRoutes', 1, 1000);
  int('maxClients', 1, 10_000);
  if (c.alertsApi !== undefined && !/^\/[\w\-/]*$/.test(c.alertsApi)) {
    throw new Error(
      `@otel-perf/dashboard: alertsApi must be a path like "/api/alerts", got ${JSON.stringify(c.alertsApi)}`,
    );
  }
}

function parseGroups(v: string | null): ReadonlySet<MetricGroup> | undefined {
  if (!v) return undefined;
  const groups = new Set(v.split(',').map((s) => s.trim()));
  for (const g of groups)
    if (!(METRIC_GROUPS as readonly string[]).includes(g))
      throw new RangeError(`unknown metric group "${g}"`);
  return groups as Set<MetricGroup>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(s);
}

/**
 * The built-in live dashboard: a reader that collects one frame per interval into a bounded history, the
 * page and its assets, the history API and the live stream. Use {@link dashboardPlugin} with the distro.
 */
export class Dashboard {
  /** Replaced by the plugin's `readers(context)` with one that carries the distro's producers. */
  reader: SnapshotReader;
  private readonly history: RingBuffer<Frame>;
  private readonly stream: FrameStream;
  private readonly intervalMs: number;
  private readonly maxRoutes: number;
  private assets: Map<string, Asset> | undefined;
  private previous: MetricSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private context: PluginContext | undefined;

  constructor(private readonly config: DashboardConfig = {}) {
    validate(config);
    this.intervalMs = config.intervalMs ?? 5000;
    this.maxRoutes = config.maxRoutes ?? 20;
    this.reader = new SnapshotReader(0);
    this.history = new RingBuffer(config.historySize ?? 720);
    this.stream = new FrameStream(config.maxClients ?? 20);
  }

  /** Frames collected so far, oldest first. */
  frames(): Frame[] {
    return this.history.toArray();
  }

  /** Starts collecting one frame per interval (the timer is unref'd). */
  start(context?: PluginContext): void {
    this.context = context;
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream.close();
  }

  /** Collects one frame now (also used by tests). */
  async tick(): Promise<Frame | undefined> {
    try {
      const snapshot = await this.reader.snapshot();
      if (!snapshot) return undefined;
      const extra: Pick<Frame, 'health' | 'alerts'> = {};
      const health = this.context?.getPlugin('health') as
        | (OtelPerfPlugin & Partial<HealthSource>)
        | undefined;
      if (health?.health) {
        const r = await health.health.evaluate('performance');
        extra.health = { status: r.status, score: r.scores.overall };
      }
      const anomaly = this.context?.getPlugin('anomaly') as
        | (OtelPerfPlugin & Partial<AlertSource>)
        | undefined;
      if (typeof anomaly?.activeAlerts === 'function') extra.alerts = { active: [...anomaly.activeAlerts()] };
      const frame = buildFrame(snapshot, this.previous, extra, this.maxRoutes);
      this.previous = snapshot;
      this.history.push(frame);
      this.stream.publish(frame);
      return frame;
    } catch (err) {
      diag.error('otel-perf dashboard: collecting a frame failed', err);
      return undefined;
    }
  }

  /** The routes of the page, its assets, `/api/metrics/history` and `/api/metrics/stream`. */
  routes(): Route[] {
    return [
      {
        method: 'GET',
        path: '/dashboard',
        handler: (_req, res) => {
          res.writeHead(302, { location: '/dashboard/' }).end();
        },
      },
      { method: 'GET', path: '/dashboard/*', handler: (req, res, url) => this.serveAsset(req, res, url) },
      {
        method: 'GET',
        path: '/api/metrics/history',
        handler: (_req, res, url) => this.serveHistory(res, url),
      },
      { method: 'GET', path: '/api/metrics/stream', handler: (_req, res, url) => this.serveStream(res, url) },
    ];
  }

  private serveAsset(_req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.assets ??= loadAssets(this.config.title ?? 'otel-perf', this.config.alertsApi ?? '/api/alerts');
    const name = url.pathname.slice('/dashboard/'.length);
    const asset = this.assets.get(name);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy':
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      })
      .end(asset.body);
  }

  private serveHistory(res: ServerResponse, url: URL): void {
    let groups: ReadonlySet<MetricGroup> | undefined;
    try {
      groups = parseGroups(url.searchParams.get('groups'));
    } catch (err) {
      json(res, 400, { error: (err as Error).message, allowed: METRIC_GROUPS });
      return;
    }
    const windowS = Number(url.searchParams.get('window') ?? 900);
    if (!Number.isFinite(windowS) || windowS <= 0) {
      json(res, 400, { error: 'window must be a positive number of seconds' });
      return;
    }
    const since = Date.now() - windowS * 1000;
    const frames = this.history.toArray((f) => f.t >= since).map((f) => pickGroups(f, groups));
    json(res, 200, { intervalMs: this.intervalMs, capacity: this.history.capacity, frames });
  }

  private serveStream(res: ServerResponse, url: URL): void {
    let sub: Subscription;
    try {
      const interval = Number(url.searchParams.get('interval') ?? this.intervalMs);
      if (!Number.isFinite(interval) || interval < this.intervalMs) {
        throw new RangeError(
          `interval must be a number of ms >= the collection interval (${this.intervalMs})`,
        );
      }
      sub = { groups: parseGroups(url.searchParams.get('groups')), intervalMs: interval };
    } catch (err) {
      json(res, 400, { error: (err as Error).message, allowed: METRIC_GROUPS });
      return;
    }
    this.stream.add(res, sub, this.history.last());
  }
}

/** The dashboard as a plugin of `@otel-perf/node`: add its reader, mount its routes, collect frames. */
export interface DashboardPlugin extends OtelPerfPlugin {
  readonly name: 'dashboard';
  readonly dashboard: Dashboard;
}

/**
 * The built-in live dashboard for the distro, served at `/dashboard` on the metrics server (opt-in).
 * Invalid configuration throws here, naming the key.
 */
export function dashboardPlugin(config: DashboardConfig = {}): DashboardPlugin {
  const dashboard = new Dashboard(config);
  return {
    name: 'dashboard',
    dashboard,
    readers: (context?: ReaderContext): MetricReader[] => {
      dashboard.reader = new SnapshotReader(0, snapshotProducers(context));
      return [dashboard.reader];
    },
    routes: () => dashboard.routes(),
    start: (ctx) => dashboard.start(ctx),
    shutdown: async () => dashboard.stop(),
  };
}
