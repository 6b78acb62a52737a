import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '@otel-perf/core';
import {
  anomalyAlertsCheck,
  cacheHitRatioCheck,
  circuitBreakersCheck,
  eventLoopDelayCheck,
  heapCheck,
  pgPoolMetricsCheck,
} from './checks.js';
import { SignalDrain } from './drain.js';
import { CheckRunner, checkKey, unknownResult } from './runner.js';
import { computeScores, DEFAULT_BANDS, overallStatus, type Scores } from './score.js';
import { HEALTH_CONTENT_TYPE } from './semconv.js';
import type {
  CheckResult,
  HealthCheck,
  HealthConfig,
  HealthStatus,
  MetricSnapshot,
  ScoreBands,
} from './types.js';

/** One evaluation of the checks: what `/health/performance` serves. */
export interface HealthReport {
  status: HealthStatus;
  scores: Scores;
  checks: Record<string, CheckResult>;
  /** Keys of checks with no verdict (timed out, not run yet, cut by the request deadline). */
  unknown: string[];
  metrics?: MetricSnapshot;
}

type Kind = 'ready' | 'performance';

function validate(config: HealthConfig): void {
  const num = (key: string, v: unknown, min: number) => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min)) {
      throw new Error(
        `@otel-perf/health: ${key} must be a finite number >= ${min}, got ${JSON.stringify(v)}`,
      );
    }
  };
  num('drainDelayMs', config.drainDelayMs, 0);
  num('requestDeadlineMs', config.requestDeadlineMs, 1);
  num('snapshotMaxAgeMs', config.snapshotMaxAgeMs, 0);
  if (config.bands) {
    const { healthy, watch } = config.bands;
    if (!(watch >= 0 && healthy > watch && healthy <= 100)) {
      throw new Error(
        `@otel-perf/health: bands must satisfy 0 <= watch < healthy <= 100, got ${JSON.stringify(config.bands)}`,
      );
    }
  }
  if (config.basePath !== undefined && !/^\/[\w\-/]*[\w-]$/.test(config.basePath)) {
    throw new Error(
      `@otel-perf/health: basePath must look like "/health", got ${JSON.stringify(config.basePath)}`,
    );
  }
  const seen = new Set<string>();
  for (const c of config.checks ?? []) {
    if (!c || typeof c.run !== 'function' || !c.component || !c.measurement) {
      throw new Error('@otel-perf/health: every check needs component, measurement and a run function');
    }
    num(`checks["${checkKey(c)}"].timeoutMs`, c.timeoutMs, 1);
    num(`checks["${checkKey(c)}"].intervalMs`, c.intervalMs, 0);
    num(`checks["${checkKey(c)}"].weight`, c.weight, 0);
    if (seen.has(checkKey(c))) throw new Error(`@otel-perf/health: two checks are named "${checkKey(c)}"`);
    seen.add(checkKey(c));
  }
}

/**
 * Live, ready and performance health for one process. Create it with {@link createHealth}; mount
 * {@link Health.handle} on any `node:http`-style server, or let the distro mount {@link Health.routes}.
 */
export class Health {
  private readonly runners = new Map<string, CheckRunner>();
  private readonly bands: ScoreBands;
  private readonly basePath: string;
  private readonly deadlineMs: number;
  private readonly drain: SignalDrain;
  private readonly closers: (() => void)[] = [];
  private snapshotSource: (() => Promise<MetricSnapshot | undefined>) | undefined;
  private last: HealthReport | undefined;
  private readonly listeners = new Set<(runner: CheckRunner, result: CheckResult | undefined) => void>();
  private started = false;

  constructor(config: HealthConfig = {}) {
    validate(config);
    this.bands = config.bands ?? DEFAULT_BANDS;
    this.basePath = config.basePath ?? '/health';
    this.deadlineMs = config.requestDeadlineMs ?? 2000;
    this.snapshotSource = config.snapshot;
    this.drain = new SignalDrain(config.drainDelayMs ?? 0, () => undefined);
    const disabled = new Set(config.disable ?? []);
    const loop = eventLoopDelayCheck();
    this.closers.push(() => loop.close());
    const builtins: HealthCheck[] = [
      loop,
      heapCheck(),
      pgPoolMetricsCheck(),
      cacheHitRatioCheck(),
      circuitBreakersCheck(),
    ];
    if (config.alerts) builtins.push(anomalyAlertsCheck(config.alerts));
    for (const c of builtins) if (!disabled.has(checkKey(c))) this.add(c);
    for (const c of config.checks ?? []) this.add(c);
  }

  /** True from SIGTERM/SIGINT until the process ends (with a drain delay configured). */
  get draining(): boolean {
    return this.drain.isDraining;
  }

  /** The last performance report computed (for metrics and the dashboard); undefined before the first. */
  get lastReport(): HealthReport | undefined {
    return this.last;
  }

  /** Adds a check after construction (a user check, or the distro's anomaly check). */
  addCheck(check: HealthCheck): void {
    validate({ checks: [check] });
    if (this.runners.has(checkKey(check))) {
      throw new Error(`@otel-perf/health: a check named "${checkKey(check)}" exists already`);
    }
    this.add(check);
    if (this.started) this.runners.get(checkKey(check))?.start(() => this.snapshot());
  }

  /** Where metric-based checks read metrics (the health plugin sets its reader here). */
  setSnapshotSource(source: () => Promise<MetricSnapshot | undefined>): void {
    this.snapshotSource = source;
  }

  /** Starts background checks and the signal drain. Idempotent. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    for (const r of this.runners.values()) r.start(() => this.snapshot());
    this.drain.install();
    return this;
  }

  /** Stops background checks, the drain and the built-in samplers. */
  close(): void {
    this.started = false;
    for (const r of this.runners.values()) r.stop();
    this.drain.uninstall();
    for (const c of this.closers) c();
  }

  /** Observes every check result (used to record health metrics). */
  onResult(listener: (runner: CheckRunner, result: CheckResult | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every check with its weight and readiness, for metrics. */
  get checks(): ReadonlyMap<string, CheckRunner> {
    return this.runners;
  }

  /** Evaluates the checks `/health/ready` (ready checks only) or `/health/performance` (all) serve. */
  async evaluate(kind: Kind = 'performance', withMetrics = false): Promise<HealthReport> {
    const runners = [...this.runners.values()].filter((r) => kind === 'performance' || r.check.ready);
    const metrics = runners.some((r) => !r.background) || withMetrics ? await this.snapshot() : undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      deadlineTimer = setTimeout(() => resolve('deadline'), this.deadlineMs);
      deadlineTimer.unref();
    });
    const results = await Promise.all(
      runners.map(async (r) => {
        const res = await Promise.race([r.current(metrics), deadline]);
        const result =
          res === 'deadline'
            ? unknownResult(r.check, `not finished within the ${this.deadlineMs} ms request deadline`)
            : res;
        return { runner: r, result };
      }),
    );
    clearTimeout(deadlineTimer);
    const present = results.filter(
      (x): x is { runner: CheckRunner; result: CheckResult } => x.result !== undefined,
    );
    const scored = present.map(({ runner, result }) => ({
      component: runner.check.component,
      weight: runner.check.weight ?? 1,
      ready: runner.check.ready ?? false,
      result,
    }));
    const scores = computeScores(scored);
    let status = overallStatus(scores, scored, this.bands);
    if (kind === 'ready' && this.draining) status = 'fail';
    const report: HealthReport = {
      status,
      scores,
      checks: Object.fromEntries(present.map(({ runner, result }) => [runner.key, result])),
      unknown: present.filter((x) => x.result.unknown).map((x) => x.runner.key),
      metrics: withMetrics ? metrics : undefined,
    };
    if (kind === 'performance') this.last = report;
    return report;
  }

  /**
   * Handles `GET {basePath}/live|ready|performance` on any `node:http`-compatible request/response pair and
   * returns true; returns false (and writes nothing) for any other request, so it works as a fallthrough in a
   * plain server, an express middleware (`(req, res, next) => health.handle(req, res).then((h) => h || next())`)
   * or a fastify route (`health.handle(request.raw, reply.raw)`).
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sub = url.pathname.startsWith(`${this.basePath}/`)
      ? url.pathname.slice(this.basePath.length + 1)
      : '';
    if (sub !== 'live' && sub !== 'ready' && sub !== 'performance') return false;
    await this.serve(sub, url, res);
    return true;
  }

  /** The three routes for the distro's metrics server. */
  routes(): Route[] {
    return (['live', 'ready', 'performance'] as const).map((sub) => ({
      method: 'GET' as const,
      path: `${this.basePath}/${sub}`,
      handler: (_req: IncomingMessage, res: ServerResponse, url: URL) => this.serve(sub, url, res),
    }));
  }

  private async serve(sub: 'live' | 'ready' | 'performance', url: URL, res: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    let status: HealthStatus;
    let body: Record<string, unknown>;
    if (sub === 'live') {
      status = 'pass';
      body = { status, description: 'the process is able to serve', time };
    } else {
      const detailed = url.searchParams.get('detailed') === 'true';
      const withMetrics = sub === 'performance' && url.searchParams.get('metrics') === 'true';
      const report = await this.evaluate(sub, withMetrics);
      status = report.status;
      body = {
        status,
        description: sub === 'ready' ? 'dependencies usable' : 'component checks and scores',
        time,
        ...(sub === 'ready' && this.draining ? { output: 'draining: shutting down' } : {}),
        ...(sub === 'performance' ? { score: report.scores.overall, scores: report.scores.components } : {}),
        ...(report.unknown.length
          ? { notes: [`unknown (never counted healthy): ${report.unknown.join(', ')}`] }
          : {}),
        checks: Object.fromEntries(
          Object.entries(report.checks).map(([key, r]) => [
            key,
            [formatCheck(r, detailed || sub === 'ready')],
          ]),
        ),
        ...(withMetrics ? { metrics: report.metrics ?? null } : {}),
      };
    }
    const json = JSON.stringify(body);
    res.writeHead(status === 'fail' ? 503 : 200, {
      'content-type': HEALTH_CONTENT_TYPE,
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  }

  private add(check: HealthCheck): void {
    const runner = new CheckRunner(check, (r, result) => {
      for (const l of this.listeners) l(r, result);
    });
    this.runners.set(runner.key, runner);
  }

  private snapshot(): Promise<MetricSnapshot | undefined> {
    return this.snapshotSource ? this.snapshotSource().catch(() => undefined) : Promise.resolve(undefined);
  }
}

function formatCheck(r: CheckResult, detailed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    componentId: r.componentId,
    componentType: r.componentType,
    status: r.status,
    score: r.score,
    time: r.time,
    output: r.output,
  };
  if (detailed) {
    out.observedValue = r.observedValue;
    out.observedUnit = r.observedUnit;
    out.durationMs = Math.round(r.durationMs * 1000) / 1000;
    out.ageMs = Math.max(0, Date.now() - Date.parse(r.time));
  }
  return out;
}

/**
 * Creates the health of this process: built-in checks (event-loop delay, heap, and — when their metrics exist —
 * pg pools, cache hit ratio, circuit breakers, plus anomaly alerts when `alerts` is given) and yours.
 * Invalid configuration throws here with a message naming the key. Call `start()` to run background checks
 * and the SIGTERM drain.
 *
 * @example
 * ```ts
 * const health = createHealth({ checks: [pgCheck(pool, { name: 'main' })], drainDelayMs: 5000 }).start();
 * http.createServer(async (req, res) => { if (!(await health.handle(req, res))) app(req, res); });
 * ```
 */
export function createHealth(config: HealthConfig = {}): Health {
  return new Health(config);
}
