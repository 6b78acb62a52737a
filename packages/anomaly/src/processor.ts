import { diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  InstrumentType,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { AlertBook, type AlertFilter } from './alerts.js';
import { createDetector } from './detection.js';
import { Acc, addPoint, isCumulative, remember, signalValue } from './extract.js';
import { AlertmanagerPush, callListeners, publish } from './notify.js';
import { type CompiledRules, compileRules, evaluateSeries, markSeries } from './rules.js';
import { SCOPE_NAME } from './semconv.js';
import { RegressionSlab, Series, SeriesTable } from './series.js';
import { type CompiledSignal, compileSignals, DEFAULT_SIGNALS, seriesKey } from './signals.js';
import type { Alert, AlertEvent, AlertLevel, AnomalyConfig } from './types.js';

/** Evaluations an open alert's series may go unreported before the alert resolves. */
const STALE_EVALUATIONS = 10;

const KEYS: readonly (keyof AnomalyConfig)[] = [
  'detector',
  'intervalMs',
  'signals',
  'extraSignals',
  'maxSeries',
  'rules',
  'thresholds',
  'maxAlertsPerMinute',
  'historySize',
  'apiToken',
  'apiPath',
  'alertmanager',
  'onAlert',
  'now',
];

function validate(c: AnomalyConfig): void {
  if (c === null || typeof c !== 'object')
    throw new Error(`@otel-perf/anomaly: the configuration must be an object, got ${JSON.stringify(c)}`);
  for (const k of Object.keys(c))
    if (!(KEYS as readonly string[]).includes(k))
      throw new Error(`@otel-perf/anomaly: unknown option ${JSON.stringify(k)}; allowed: ${KEYS.join(', ')}`);
  const int = (key: keyof AnomalyConfig, min: number, max: number) => {
    const v = c[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min || (v as number) > max))
      throw new Error(
        `@otel-perf/anomaly: ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`,
      );
  };
  int('intervalMs', 100, 86_400_000);
  int('maxSeries', 1, 1_000_000);
  int('maxAlertsPerMinute', 1, 100_000);
  int('historySize', 0, 100_000);
  if (c.apiToken !== undefined && (typeof c.apiToken !== 'string' || c.apiToken.length < 16))
    throw new Error(
      '@otel-perf/anomaly: apiToken must be a string of at least 16 characters (or left out: no write API)',
    );
  if (c.apiPath !== undefined && !/^\/[\w\-/]*[\w-]$/.test(c.apiPath))
    throw new Error(
      `@otel-perf/anomaly: apiPath must be a path like "/api/alerts", got ${JSON.stringify(c.apiPath)}`,
    );
  if (c.onAlert !== undefined && typeof c.onAlert !== 'function')
    throw new Error('@otel-perf/anomaly: onAlert must be a function');
  if (c.now !== undefined && typeof c.now !== 'function')
    throw new Error('@otel-perf/anomaly: now must be a function');
}

/** Temporality the processor asks for: per-interval counts where the SDK can give them, so it keeps no copies. */
function temporality(type: InstrumentType): AggregationTemporality {
  return type === InstrumentType.COUNTER ||
    type === InstrumentType.HISTOGRAM ||
    type === InstrumentType.OBSERVABLE_COUNTER
    ? AggregationTemporality.DELTA
    : AggregationTemporality.CUMULATIVE;
}

/**
 * The in-process anomaly processor: a `MetricReader` on the app's MeterProvider that collects on its own
 * (unref'd) interval, turns the points of the watched metrics into one value per series, scores each with
 * the streaming detector, runs the rules and keeps the alerts. It asks the SDK for delta counters and
 * histograms (its own reader state: other readers and exporters are not affected) and also accepts
 * cumulative input through {@link AnomalyProcessor.evaluate}.
 */
export class AnomalyProcessor extends MetricReader {
  readonly signals: readonly CompiledSignal[];
  private readonly bySignalMetric = new Map<string, CompiledSignal[]>();
  private readonly rules: CompiledRules;
  private readonly book: AlertBook;
  private readonly table: SeriesTable;
  private readonly slab = new RegressionSlab();
  private readonly clock: () => number;
  private readonly listeners = new Set<(alert: Alert, event: AlertEvent) => unknown>();
  private readonly alertmanager: AlertmanagerPush | undefined;
  private readonly touched: Series[] = [];
  private readonly merges = new Map<Series, Acc>();
  private readonly single = new Acc();
  /** Highest score per signal at the last evaluation (NaN: no series). */
  readonly scores: Float64Array;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  readonly intervalMs: number;
  /** Evaluations run and how long the last one took (ms). */
  evaluations = 0;
  lastEvaluationMs = 0;

  constructor(readonly config: AnomalyConfig = {}) {
    super({ aggregationTemporalitySelector: temporality });
    validate(config);
    this.intervalMs = config.intervalMs ?? 15_000;
    this.clock = config.now ?? Date.now;
    const defs = config.signals ?? DEFAULT_SIGNALS;
    if (!Array.isArray(defs))
      throw new Error('@otel-perf/anomaly: signals must be an array of signal definitions');
    this.signals = compileSignals([...defs, ...(config.extraSignals ?? [])]);
    for (const s of this.signals) {
      const list = this.bySignalMetric.get(s.metric) ?? [];
      list.push(s);
      this.bySignalMetric.set(s.metric, list);
    }
    this.rules = compileRules(config.rules, config.thresholds ?? [], this.signals);
    // Bad detector options throw here, at construction, not at the first series.
    try {
      createDetector(config.detector);
    } catch (err) {
      throw new Error(`@otel-perf/anomaly: detector: ${(err as Error).message}`);
    }
    this.scores = new Float64Array(this.signals.length).fill(Number.NaN);
    this.alertmanager = config.alertmanager ? new AlertmanagerPush(config.alertmanager) : undefined;
    if (config.onAlert) this.listeners.add(config.onAlert);
    this.book = new AlertBook(
      this.clock,
      config.maxAlertsPerMinute ?? 30,
      config.historySize ?? 100,
      (a, e) => this.dispatch(a, e),
    );
    this.table = new SeriesTable(config.maxSeries ?? 10_000, (s) => {
      if (s.slot >= 0) this.slab.release(s.slot);
      this.book.forget(s.key, this.clock());
    });
  }

  private dispatch(alert: Alert, event: AlertEvent): void {
    callListeners(this.listeners, alert, event);
    publish(alert, event);
    this.alertmanager?.notify(alert);
  }

  /** Adds an alert listener; returns a function that removes it. */
  onAlert(fn: (alert: Alert, event: AlertEvent) => unknown): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts collecting every `intervalMs` (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.collectAndEvaluate(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Collects from the MeterProvider and evaluates; never throws (errors go to diag). */
  collectAndEvaluate(): Promise<void> {
    this.running ??= this.collect()
      .then(({ resourceMetrics, errors }) => {
        if (errors.length > 0) diag.debug('otel-perf anomaly: collection reported errors', errors);
        this.evaluate(resourceMetrics);
      })
      .catch((err: unknown) => diag.error('otel-perf anomaly: collection failed', err))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * Evaluates one collection (from this reader or any other source, delta or cumulative) at time `now`.
   * Metrics of this package's own scope are skipped.
   */
  evaluate(rm: ResourceMetrics, now = this.clock()): void {
    const t0 = performance.now();
    this.scores.fill(Number.NaN);
    for (const scope of rm.scopeMetrics) {
      if (scope.scope.name === SCOPE_NAME) continue;
      for (const metric of scope.metrics) {
        const signals = this.bySignalMetric.get(metric.descriptor.name);
        if (signals) for (const s of signals) this.evaluateSignal(s, metric, now);
      }
    }
    this.book.tick(now, STALE_EVALUATIONS);
    if (this.alertmanager) this.alertmanager.resend(this.book.list('firing', now), now);
    this.evaluations++;
    this.lastEvaluationMs = performance.now() - t0;
  }

  private evaluateSignal(signal: CompiledSignal, metric: MetricData, now: number): void {
    // Exponential histograms are not read (the distro's views make explicit-bucket ones).
    if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return;
    const isHistogram = metric.dataPointType === DataPointType.HISTOGRAM;
    const cumulative = isCumulative(metric);
    const seen = this.evaluations;
    const touched = this.touched;
    const merges = this.merges;
    try {
      // Pass 1: one map lookup per point; a series' first point is only remembered, later ones (points that
      // differ in attributes the series does not keep) are merged into an accumulator.
      for (const p of metric.dataPoints) {
        if (signal.where && !signal.where(p.attributes)) continue;
        const key = seriesKey(signal, p.attributes);
        let s = this.table.get(key);
        if (!s) {
          s = new Series(key, signal, createDetector(this.config.detector));
          this.table.add(s);
        }
        s.lastSeen = seen;
        if (s.first === undefined) {
          s.first = p;
          touched.push(s);
          continue;
        }
        let acc = merges.get(s);
        if (!acc) {
          acc = new Acc();
          addPoint(acc, signal, s.first as DataPoint<unknown>, isHistogram, true);
          merges.set(s, acc);
        }
        addPoint(acc, signal, p, isHistogram, false);
      }
      // Pass 2: a value per series, the detector, the rules.
      for (const s of touched) {
        let acc = merges.size > 0 ? merges.get(s) : undefined;
        if (!acc) {
          acc = this.single;
          addPoint(acc, signal, s.first as DataPoint<unknown>, isHistogram, true);
        }
        s.first = undefined;
        const value = signalValue(signal, acc, cumulative, s.extra?.prev);
        if (cumulative) {
          s.extra ??= {};
          s.extra.prev = remember(acc, s.extra.prev);
        }
        acc.counts = undefined;
        if (Number.isNaN(value)) continue;
        const baseline = s.detector.baseline;
        const raw = s.detector.update(value, now);
        const score = Number.isFinite(raw) ? raw : 0;
        const best = this.scores[signal.index] as number;
        if (!(score <= best)) this.scores[signal.index] = score;
        evaluateSeries(this.rules, s, value, score, baseline, now, this.book, this.slab);
      }
    } finally {
      // Whatever happened, no series stays marked as seen with a point of this collection.
      for (const s of touched) s.first = undefined;
      touched.length = 0;
      merges.clear();
    }
  }

  /**
   * Marks the current values as the baseline the regression rule compares with (for example at a deploy),
   * instead of the same hour 24 h earlier. Returns how many series were marked.
   */
  markBaseline(): number {
    let n = 0;
    for (const s of this.table.map.values()) {
      if (markSeries(s, this.slab)) n++;
    }
    return n;
  }

  /** Goes back to comparing with 24 h earlier. */
  clearBaseline(): void {
    for (const s of this.table.map.values()) if (s.slot >= 0) this.slab.mark(s.slot, Number.NaN);
  }

  /** Firing, not silenced alerts (what the health check and the dashboard show). */
  activeAlerts(): Alert[] {
    return this.book.active();
  }

  /** Alerts by state (`all`: open ones, then the last resolved ones, newest first). */
  alerts(filter: AlertFilter = 'all'): Alert[] {
    return this.book.list(filter);
  }

  alert(id: string): Alert | undefined {
    return this.book.get(id);
  }

  /** Acknowledges an open alert; undefined when there is none with this id. */
  acknowledge(id: string): Alert | undefined {
    return this.book.acknowledge(id);
  }

  /** Silences an open alert until `until` (ms since epoch); undefined when there is none with this id. */
  silence(id: string, until: number): Alert | undefined {
    return this.book.silence(id, until);
  }

  /** Active alerts by level. */
  activeByLevel(): Record<AlertLevel, number> {
    return this.book.countsByLevel();
  }

  /** Series watched now, and dropped so far to stay under `maxSeries`. */
  seriesStats(): { watched: number; evicted: number } {
    return { watched: this.table.size, evicted: this.table.evicted };
  }

  /** Alerts fired per `rule` and `level`, and refused by the rate limit. */
  alertStats(): { fired: ReadonlyMap<string, number>; dropped: number } {
    return { fired: this.book.fired, dropped: this.book.dropped };
  }

  /** The clock the processor runs on. */
  now(): number {
    return this.clock();
  }

  protected override async onForceFlush(): Promise<void> {
    await this.alertmanager?.flush();
  }

  /** Stops the timer; pushes still in flight get at most 1 s (the distro's shutdown has a deadline). */
  protected override async onShutdown(): Promise<void> {
    this.stop();
    await this.alertmanager?.flush(1000);
  }
}
