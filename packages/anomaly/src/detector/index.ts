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
  /** Half-lives of the baselines, in points. @default [30, 300] */
  horizons?: number[];
  /** @default 3 */
  clip?: number;
  /** Half-life of the short average of raw scores. @default 3 */
  shortHalfLife?: number;
  /** Half-life of the raw-score distribution. @default 2000 */
  longHalfLife?: number;
  /** @default 300 */
  rest?: number;
  /** z of the likelihood at which the score is 0.5. @default 2 */
  zAlert?: number;
  /** raw score cap. @default 10 */
  cap?: number;
  /** hour-of-day profile. @default true */
  seasonal?: boolean;
  /** days. @default 3 */
  seasonalHalfLife?: number;
  /** @default false */
  bucketScale?: boolean;
  /** @default false */
  ofShort?: boolean;
  /** @default false */
  logRaw?: boolean;
  /** @default 'max' */
  combine?: 'max' | 'best' | 'mean';
  /** @default 0 */
  relearn?: number;
  /** quiet points to re-arm. @default 0 */
  quiet?: number;
  /** @default 0; 0 disables */
  peakHalfLife?: number;
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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

class EwDetector implements Detector {
  private readonly warmup: number;
  private readonly alphas: Float64Array;
  private readonly clip: number;
  private readonly aShort: number;
  private readonly aLong: number;
  private readonly rest: number;
  private readonly zAlert: number;
  private readonly cap: number;
  private readonly seasonal: boolean;
  private readonly seasonHalfLifeMs: number;
  private readonly combine: number;
  private n = 0;
  private readonly center: Float64Array;
  private readonly spread: Float64Array;
  private readonly profile: Float64Array;
  private seasonSpread = 0;
  private readonly bucketScale: boolean;
  private readonly ofShort: boolean;
  private readonly logRaw: boolean;
  private seasonN = 0;
  private lastTs = Number.NaN;
  private short = 0;
  private rMean = 0;
  private rVar = 0;
  private resting = 0;
  private age = 0;
  private readonly relearn: number;
  private readonly aPeak: number;
  private peak = 0;
  private readonly quiet: number;
  private quietCount = 0;

  constructor(options: DetectorOptions) {
    this.warmup = options.warmup ?? 150;
    const horizons = options.horizons ?? [30, 300];
    this.alphas = Float64Array.from(horizons, (h) => 1 - 2 ** (-1 / h));
    this.center = new Float64Array(horizons.length);
    this.spread = new Float64Array(horizons.length);
    this.clip = options.clip ?? 3;
    this.aShort = 1 - 2 ** (-1 / (options.shortHalfLife ?? 3));
    this.aLong = 1 - 2 ** (-1 / (options.longHalfLife ?? 2000));
    this.rest = options.rest ?? 300;
    this.zAlert = options.zAlert ?? 2;
    this.cap = options.cap ?? 10;
    this.seasonal = options.seasonal ?? true;
    this.seasonHalfLifeMs = (options.seasonalHalfLife ?? 3) * HOUR_MS;
    this.combine = options.combine === 'best' ? 1 : options.combine === 'mean' ? 2 : 0;
    this.profile = new Float64Array(48).fill(Number.NaN);
    this.bucketScale = options.bucketScale ?? false;
    this.ofShort = options.ofShort ?? false;
    this.logRaw = options.logRaw ?? false;
    this.relearn = options.relearn ?? 0;
    this.quiet = options.quiet ?? 0;
    const ph = options.peakHalfLife ?? 0;
    this.aPeak = ph > 0 ? 1 - 2 ** (-1 / ph) : -1;
  }

  get baseline(): number {
    return this.center[this.center.length - 1] ?? 0;
  }

  get scale(): number {
    return this.spread[this.spread.length - 1] ?? 0;
  }

  update(value: number, timestampMs: number): number {
    if (!Number.isFinite(value)) return 0;
    this.n++;
    this.age++;
    const k = this.center.length;
    if (this.n === 1) {
      this.center.fill(value);
      this.spread.fill(0);
    }
    let raw = 0;
    let bestScale = Number.POSITIVE_INFINITY;
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const c = this.center[i] as number;
      const s0 = this.spread[i] as number;
      const floor = 1e-3 * Math.abs(c) + 1e-9;
      const s = s0 > floor ? s0 : floor;
      const dev = value - c;
      const adev = Math.abs(dev);
      const z = adev / s;
      sum += z;
      if (this.combine === 1) {
        if (s < bestScale) {
          bestScale = s;
          raw = z;
        }
      } else if (z > raw) raw = z;
      const a0 = this.alphas[i] as number;
      const a = a0 > 1 / this.age ? a0 : 1 / this.age;
      const lim = this.clip * s;
      const clipped = adev < lim ? adev : lim;
      this.center[i] = c + a * (dev > 0 ? clipped : -clipped);
      this.spread[i] = s0 + a * (clipped - s0);
    }
    if (this.seasonal && Number.isFinite(timestampMs)) {
      const dt = timestampMs - this.lastTs;
      this.lastTs = timestampMs;
      const bucket = Math.floor((((timestampMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
      const m = this.profile[bucket] as number;
      if (Number.isNaN(m)) {
        this.profile[bucket] = value;
      } else {
        const sb = this.profile[24 + bucket] as number;
        const s0 = this.bucketScale && !Number.isNaN(sb) ? sb : this.seasonSpread;
        const floor = 1e-3 * Math.abs(m) + 1e-9;
        const s = s0 > floor ? s0 : floor;
        const dev = value - m;
        const adev = Math.abs(dev);
        const z = adev / s;
        this.seasonN++;
        if (this.seasonN > 50) {
          sum += z;
          if (this.combine === 1) {
            if (s < bestScale) {
              bestScale = s;
              raw = z;
            }
          } else if (z > raw) raw = z;
        }
        const a0 = dt > 0 && dt < DAY_MS ? 1 - 2 ** (-dt / this.seasonHalfLifeMs) : 0.1;
        const lim = this.clip * s;
        const clipped = adev < lim ? adev : lim;
        this.profile[bucket] = m + a0 * (dev > 0 ? clipped : -clipped);
        const as = 0.01 > 1 / this.seasonN ? 0.01 : 1 / this.seasonN;
        this.seasonSpread += as * (clipped - this.seasonSpread);
        this.profile[24 + bucket] = Number.isNaN(sb) ? this.seasonSpread : sb + a0 * (clipped - sb);
      }
    }
    if (this.combine === 2) raw = sum / (k + (this.seasonN > 50 ? 1 : 0));
    if (raw > this.cap) raw = this.cap;
    if (this.logRaw) raw = Math.log1p(raw);
    const as = this.aShort > 1 / this.n ? this.aShort : 1 / this.n;
    this.short += as * (raw - this.short);
    const d = this.short - this.rMean;
    const sd = Math.sqrt(this.rVar) + 1e-9;
    const zl = d / sd;
    // Update the raw-score distribution after scoring (no peeking), winsorised so one incident does not
    // inflate it.
    const lim = this.rMean + 3 * sd;
    const src = this.ofShort ? this.short : raw;
    const rr = this.n < 20 ? src : src < lim ? src : lim;
    const dm = rr - this.rMean;
    const al = this.aLong > 1 / this.n ? this.aLong : 1 / this.n;
    this.rMean += al * dm;
    this.rVar = (1 - al) * (this.rVar + al * dm * dm);
    let rec = 1;
    if (this.aPeak > 0) {
      const excess = this.short - this.rMean;
      const pe = this.peak - this.rMean;
      rec = pe > 0 ? (0.5 * excess) / pe : 1;
      const decayed = this.rMean + (this.peak - this.rMean) * (1 - this.aPeak);
      this.peak = this.short > decayed ? this.short : decayed;
    }
    if (this.n <= this.warmup) return 0;
    let score = zl <= 0 ? 0 : Math.min(1, zl / (2 * this.zAlert));
    if (rec < score) score = rec < 0 ? 0 : rec;
    if (this.resting > 0) {
      this.resting--;
      if (this.quiet > 0) {
        if (score < 0.25) this.quietCount++;
        else this.quietCount = 0;
        if (this.quietCount >= this.quiet) this.resting = 0;
      }
      return 0;
    }
    if (score >= DEFAULT_ALERT_THRESHOLD) {
      this.resting = this.rest;
      this.quietCount = 0;
      if (this.relearn > 0) this.age = this.relearn;
    }
    return score;
  }

  reset(): void {
    this.n = 0;
    this.peak = 0;
    this.age = 0;
    this.center.fill(0);
    this.spread.fill(0);
    this.profile.fill(Number.NaN);
    this.seasonSpread = 0;
    this.seasonN = 0;
    this.lastTs = Number.NaN;
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
