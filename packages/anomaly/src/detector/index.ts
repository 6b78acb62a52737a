/**
 * Streaming anomaly detector: one value at a time, no look-ahead, fixed-size state.
 *
 * This file is self-contained (no relative imports) so that `bench/nab.ts` can run it with Node's type
 * stripping and score exactly the code the processor bundles.
 */

/** Tuning knobs of {@link createDetector}. Plain data; every field is optional. */
export interface DetectorOptions {
  /** @default 150 */
  warmup?: number;
  /** Half-lives of the baselines, in points. @default [10, 100, 1000] */
  horizons?: number[];
  /** @default 3 */
  clip?: number;
  /** Half-life of the short average of raw scores. @default 3 */
  shortHalfLife?: number;
  /** Half-life of the raw-score distribution. @default 2000 */
  longHalfLife?: number;
  /** @default 300 */
  rest?: number;
  /** z of the likelihood at which the score is 0.5. @default 4 */
  zAlert?: number;
  /** raw score cap. @default 10 */
  cap?: number;
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
  private readonly alphas: Float64Array;
  private readonly clip: number;
  private readonly aShort: number;
  private readonly aLong: number;
  private readonly rest: number;
  private readonly zAlert: number;
  private readonly cap: number;
  private n = 0;
  private readonly center: Float64Array;
  private readonly spread: Float64Array;
  private short = 0;
  private rMean = 0;
  private rVar = 0;
  private resting = 0;

  constructor(options: DetectorOptions) {
    this.warmup = options.warmup ?? 150;
    const horizons = options.horizons ?? [10, 100, 1000];
    this.alphas = Float64Array.from(horizons, (h) => 1 - 2 ** (-1 / h));
    this.center = new Float64Array(horizons.length);
    this.spread = new Float64Array(horizons.length);
    this.clip = options.clip ?? 3;
    this.aShort = 1 - 2 ** (-1 / (options.shortHalfLife ?? 3));
    this.aLong = 1 - 2 ** (-1 / (options.longHalfLife ?? 2000));
    this.rest = options.rest ?? 300;
    this.zAlert = options.zAlert ?? 4;
    this.cap = options.cap ?? 10;
  }

  get baseline(): number {
    return this.center[this.center.length - 1] ?? 0;
  }

  get scale(): number {
    return this.spread[this.spread.length - 1] ?? 0;
  }

  update(value: number, _timestampMs: number): number {
    if (!Number.isFinite(value)) return 0;
    this.n++;
    const k = this.center.length;
    if (this.n === 1) {
      this.center.fill(value);
      this.spread.fill(0);
      return 0;
    }
    let raw = 0;
    for (let i = 0; i < k; i++) {
      const c = this.center[i] as number;
      const s0 = this.spread[i] as number;
      const floor = 1e-3 * Math.abs(c) + 1e-9;
      const s = s0 > floor ? s0 : floor;
      const dev = value - c;
      const adev = Math.abs(dev);
      const z = adev / s;
      if (z > raw) raw = z;
      const a0 = this.alphas[i] as number;
      const a = a0 > 1 / this.n ? a0 : 1 / this.n;
      const lim = this.clip * s;
      const clipped = adev < lim ? adev : lim;
      this.center[i] = c + a * (dev > 0 ? clipped : -clipped);
      this.spread[i] = s0 + a * (clipped - s0);
    }
    if (raw > this.cap) raw = this.cap;
    const as = this.aShort > 1 / this.n ? this.aShort : 1 / this.n;
    this.short += as * (raw - this.short);
    const d = this.short - this.rMean;
    const sd = Math.sqrt(this.rVar) + 1e-9;
    const zl = d / sd;
    // Update the raw-score distribution after scoring (no peeking), winsorised so one incident does not
    // inflate it.
    const lim = this.rMean + 3 * sd;
    const rr = this.n < 20 ? raw : raw < lim ? raw : lim;
    const dm = rr - this.rMean;
    const al = this.aLong > 1 / this.n ? this.aLong : 1 / this.n;
    this.rMean += al * dm;
    this.rVar = (1 - al) * (this.rVar + al * dm * dm);
    if (this.n <= this.warmup) return 0;
    if (this.resting > 0) {
      this.resting--;
      return 0;
    }
    const score = zl <= 0 ? 0 : Math.min(1, zl / (2 * this.zAlert));
    if (score >= DEFAULT_ALERT_THRESHOLD) this.resting = this.rest;
    return score;
  }

  reset(): void {
    this.n = 0;
    this.center.fill(0);
    this.spread.fill(0);
    this.short = 0;
    this.rMean = 0;
    this.rVar = 0;
    this.resting = 0;
  }
}

/** Creates a detector for one series. */
export function createDetector(options: DetectorOptions = {}): Detector {
  return new EwDetector(options);
}
