/**
 * Streaming anomaly detector: one value at a time, no look-ahead, fixed-size state.
 *
 * This file is self-contained (no relative imports) so that `bench/nab.ts` can run it with Node's type
 * stripping and score exactly the code the processor bundles.
 */

/** Tuning knobs of {@link createDetector}. Plain data; every field is optional. */
export interface DetectorOptions {
  /**
   * Points fed before the detector scores anything (it returns 0 while it learns the baseline).
   * @default 50
   */
  warmup?: number;
  /**
   * Half-life of the baseline, in points.
   * @default 200
   */
  halfLife?: number;
}

/** A streaming detector for one series. */
export interface Detector {
  /** Feed the next value (timestamp in ms); returns an anomaly score in [0,1]. NaN/±Infinity are ignored (return 0, state unchanged). */
  update(value: number, timestampMs: number): number;
  /** Current baseline (robust center) and scale, for alert context. */
  readonly baseline: number;
  readonly scale: number;
  reset(): void;
}

/** The threshold the package ships: score >= this is anomalous. */
export const DEFAULT_ALERT_THRESHOLD = 0.5;

class EwDetector implements Detector {
  private readonly warmup: number;
  private readonly alpha: number;
  private n = 0;
  private center = 0;
  private spread = 0;

  constructor(options: DetectorOptions) {
    this.warmup = options.warmup ?? 50;
    this.alpha = 1 - 2 ** (-1 / (options.halfLife ?? 200));
  }

  get baseline(): number {
    return this.center;
  }

  get scale(): number {
    return this.spread;
  }

  update(value: number, _timestampMs: number): number {
    if (!Number.isFinite(value)) return 0;
    this.n++;
    if (this.n === 1) {
      this.center = value;
      this.spread = 0;
      return 0;
    }
    const dev = Math.abs(value - this.center);
    const s = this.spread > 0 ? this.spread : 1e-9 + Math.abs(this.center) * 1e-6;
    const z = dev / s;
    const clipped = Math.min(dev, 3 * s + 1e-12);
    this.center += this.alpha * Math.sign(value - this.center) * clipped;
    this.spread += this.alpha * (clipped - this.spread);
    if (this.n <= this.warmup) return 0;
    return z <= 3 ? 0 : Math.min(1, (z - 3) / 3);
  }

  reset(): void {
    this.n = 0;
    this.center = 0;
    this.spread = 0;
  }
}

/** Creates a detector for one series. */
export function createDetector(options: DetectorOptions = {}): Detector {
  return new EwDetector(options);
}
