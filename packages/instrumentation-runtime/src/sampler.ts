import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { TrailingWindow } from './window.js';

/** Samples held before they are handed to `onDelay` in one batch (about 5 s at the default 20 ms). */
const BATCH = 256;

/**
 * Samples event-loop delay with one unref'd interval timer: each tick measures how late it fired
 * (`gap between ticks - resolution`, clamped at 0) and records it into the trailing window. The samples are
 * handed to `onDelay` (which feeds the `nodejs.eventloop.delay` histogram) in batches: at every collection
 * ({@link flush}), when {@link BATCH} are pending, and on stop, so a tick does the least work it can.
 * Started on enable, stopped on disable.
 */
export class LoopSampler {
  readonly window: TrailingWindow;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private readonly pending = new Float64Array(BATCH);
  private count = 0;

  constructor(
    private readonly resolutionMs: number,
    windowMs: number,
    private readonly onDelay: (seconds: number) => void,
  ) {
    this.window = new TrailingWindow(windowMs);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    // The first tick is only the reference (as in `monitorEventLoopDelay`): enabled from a preload, the gap to
    // it is the app's synchronous startup, not a delay any request saw.
    this.last = -1;
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  /** Stops the timer and hands over the samples still pending. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** Hands the pending samples (seconds) to `onDelay`. */
  flush(): void {
    const n = this.count;
    this.count = 0;
    try {
      for (let i = 0; i < n; i++) this.onDelay(this.pending[i] as number);
    } catch (err) {
      diag.error('otel-perf: runtime event-loop delay recording failed', err);
    }
  }

  private tick(): void {
    try {
      const now = performance.now();
      if (this.last < 0) {
        this.last = now;
        return;
      }
      const delayMs = Math.max(0, now - this.last - this.resolutionMs);
      this.last = now;
      this.window.record(delayMs, now);
      this.pending[this.count++] = delayMs / 1000;
      if (this.count === BATCH) this.flush();
    } catch (err) {
      diag.error('otel-perf: runtime event-loop sampler failed', err);
    }
  }
}
