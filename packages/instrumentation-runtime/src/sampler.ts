import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { TrailingWindow } from './window.js';

/**
 * Samples event-loop delay with one unref'd interval timer: each tick measures how late it fired
 * (`gap between ticks - resolution`, clamped at 0), records it into the trailing window and hands it to
 * `onDelay` (which feeds the `nodejs.eventloop.delay` histogram). Started on enable, stopped on disable.
 */
export class LoopSampler {
  readonly window: TrailingWindow;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

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
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    try {
      const now = performance.now();
      const delayMs = Math.max(0, now - this.last - this.resolutionMs);
      this.last = now;
      this.window.record(delayMs, now);
      this.onDelay(delayMs / 1000);
    } catch (err) {
      diag.error('otel-perf: runtime event-loop sampler failed', err);
    }
  }
}
