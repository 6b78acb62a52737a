import type { CheckContext, CheckOutcome, CheckResult, HealthCheck, MetricSnapshot } from './types.js';

/** The key of a check in the response: `component:measurement`. */
export function checkKey(check: Pick<HealthCheck, 'component' | 'measurement'>): string {
  return `${check.component}:${check.measurement}`;
}

/** A result that says why a check has no verdict: it never counts as healthy. */
export function unknownResult(check: HealthCheck, output: string, durationMs = 0): CheckResult {
  return {
    componentId: check.componentId,
    componentType: check.componentType ?? 'component',
    status: 'warn',
    unknown: true,
    output,
    time: new Date().toISOString(),
    durationMs,
    score: null,
  };
}

function statusScore(outcome: CheckOutcome): number {
  if (typeof outcome.score === 'number' && Number.isFinite(outcome.score)) {
    return Math.min(100, Math.max(0, outcome.score));
  }
  return outcome.status === 'pass' ? 100 : outcome.status === 'warn' ? 77.5 : 0;
}

const STATUSES = new Set(['pass', 'warn', 'fail']);

/**
 * Runs one check: with its own timeout (the check's signal is aborted and the result is unknown), one run at a
 * time (concurrent requests share the run in flight), and for background checks on an unref'd interval whose
 * last result is served.
 */
export class CheckRunner {
  readonly key: string;
  private last: CheckResult | undefined;
  private lastSkipped = false;
  private inFlight: Promise<CheckResult | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly check: HealthCheck,
    private readonly onResult: (runner: CheckRunner, result: CheckResult | undefined) => void,
  ) {
    this.key = checkKey(check);
  }

  get background(): boolean {
    return (this.check.intervalMs ?? 0) > 0;
  }

  /** The last result (undefined if not applicable or never run). */
  get lastResult(): CheckResult | undefined {
    return this.lastSkipped ? undefined : this.last;
  }

  /** Starts the background loop (no-op for on-request checks). */
  start(metrics: () => Promise<MetricSnapshot | undefined>): void {
    if (!this.background || this.timer) return;
    const tick = () => {
      void metrics()
        .catch(() => undefined)
        .then((m) => this.run(m));
    };
    tick();
    this.timer = setInterval(tick, this.check.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * The result to serve now: a background check's last result (unknown until its first run ends), or a fresh
   * run of an on-request check.
   */
  async current(metrics: MetricSnapshot | undefined): Promise<CheckResult | undefined> {
    if (this.background) {
      if (this.lastSkipped) return undefined;
      return this.last ?? unknownResult(this.check, 'not run yet');
    }
    return this.run(metrics);
  }

  /** Runs the check now, or joins the run in flight. */
  run(metrics: MetricSnapshot | undefined): Promise<CheckResult | undefined> {
    this.inFlight ??= this.execute(metrics).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async execute(metrics: MetricSnapshot | undefined): Promise<CheckResult | undefined> {
    const timeoutMs = this.check.timeoutMs ?? 1000;
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`health check ${this.key} timed out after ${timeoutMs} ms`));
        resolve('timeout');
      }, timeoutMs);
      timer.unref();
    });
    const context: CheckContext = { signal: controller.signal, metrics };
    let result: CheckResult | undefined;
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => this.check.run(context)), timedOut]);
      const durationMs = performance.now() - started;
      if (outcome === 'timeout') {
        result = unknownResult(this.check, `timed out after ${timeoutMs} ms`, durationMs);
      } else if (outcome === undefined) {
        result = undefined;
      } else if (!outcome || !STATUSES.has(outcome.status)) {
        result = {
          ...unknownResult(
            this.check,
            `check returned an invalid outcome: ${JSON.stringify(outcome)}`,
            durationMs,
          ),
          status: 'fail',
          unknown: false,
          score: 0,
        };
      } else {
        result = {
          componentId: this.check.componentId,
          componentType: this.check.componentType ?? 'component',
          status: outcome.status,
          unknown: false,
          observedValue: outcome.observedValue,
          observedUnit: outcome.observedUnit,
          output: outcome.output,
          time: new Date().toISOString(),
          durationMs,
          score: statusScore(outcome),
        };
      }
    } catch (err) {
      result = {
        componentId: this.check.componentId,
        componentType: this.check.componentType ?? 'component',
        status: 'fail',
        unknown: false,
        output: err instanceof Error ? err.message : String(err),
        time: new Date().toISOString(),
        durationMs: performance.now() - started,
        score: 0,
      };
    } finally {
      clearTimeout(timer);
    }
    this.lastSkipped = result === undefined;
    this.last = result;
    this.onResult(this, result);
    return result;
  }
}
