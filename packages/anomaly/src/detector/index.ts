/**
 * The streaming anomaly detector: one value at a time, no look-ahead, no knowledge of the range, a fixed-size
 * state per series (one array of doubles).
 *
 * How a value is scored:
 * 1. Predictors. Each horizon keeps a robust baseline: an exponentially weighted median (moved by at most
 *    `clip` scales per point, so one spike cannot drag it) and its mean absolute deviation (the scale),
 *    updated with the same clipped deviation. An hour-of-day profile (24 medians and one residual scale) is a
 *    further predictor once it has seen a day. Learning rates start at 1/n, so the first points count fully.
 * 2. Raw score: the deviation of the value from the predictor that currently fits best (smallest scale), in
 *    units of that scale, as `log(1 + z)` (the log keeps a 40σ burst and a 5σ blip apart without letting the
 *    burst dominate the statistics that follow).
 * 3. Likelihood: a short average of raw scores is compared with the long-run mean and deviation of the raw
 *    scores of this series (winsorised): `zl`, the number of deviations it sits above normal. Noisy series
 *    thereby need a larger excursion than quiet ones.
 * 4. Rest: after a score reaches {@link DEFAULT_ALERT_THRESHOLD} the detector returns 0 for `restPoints`
 *    points, and adds the `zl` that fired to a penalty subtracted from later `zl` values, halving every
 *    `restHalfLife` points: one incident gives one high score, a second, stronger incident can fire again.
 *
 * score = clamp((zl - penalty) / (2 · alertSigma), 0, 1), so the shipped threshold 0.5 means `alertSigma`.
 *
 * This file is self-contained (no relative imports) so that `bench/nab.ts` runs it with Node's type stripping:
 * NAB scores exactly the code the processor bundles.
 */

/**
 * Tuning knobs of {@link createDetector}, plain data. Every field is optional; the defaults are the ones
 * scored on NAB (see the package README), chosen once for all series.
 *
 * @example
 * createDetector({ horizons: [60, 1440], restPoints: 30 }) // 1 h and 1 day at one point a minute
 */
export interface DetectorOptions {
  /**
   * Points the detector learns from before it scores anything (it returns 0 meanwhile).
   * @default 150
   */
  warmup?: number;
  /**
   * Half-lives of the baselines, in points (at one point a minute, 30 and 300 are half an hour and five
   * hours). One to four horizons; each costs two doubles of state.
   * @default [30, 300]
   */
  horizons?: number[];
  /**
   * Whether an hour-of-day profile (from the timestamps, UTC) is one of the predictors: daily cycles then do
   * not look anomalous, and a missing daily peak does. Costs 24 doubles of state.
   * @default true
   */
  seasonal?: boolean;
  /**
   * Half-life of each hour's profile value, in days.
   * @default 3
   */
  seasonalHalfLifeDays?: number;
  /**
   * Largest step of a baseline or scale update, in scales (winsorising: a spike moves the baseline by at most
   * this much times the learning rate).
   * @default 3
   */
  clip?: number;
  /**
   * Half-life of the short average of raw scores, in points (the smaller, the earlier and noisier).
   * @default 2
   */
  shortHalfLife?: number;
  /**
   * Half-life of the long-run raw-score statistics, in points.
   * @default 2000
   */
  longHalfLife?: number;
  /**
   * How many long-run deviations above normal the short average must be for a score of 0.5
   * ({@link DEFAULT_ALERT_THRESHOLD}).
   * @default 1.5
   */
  alertSigma?: number;
  /**
   * Points after a score reaches the threshold during which the detector returns 0.
   * @default 100
   */
  restPoints?: number;
  /**
   * Half-life, in points, of the penalty a detection adds (its own `zl`): a second alert soon after the
   * first needs a larger excursion. 0 turns the penalty off.
   * @default 500
   */
  restHalfLife?: number;
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
/** Raw z-scores are capped here before the log (a constant series has a scale of ~0). */
const RAW_CAP = 100;
/** Relative floor of a scale, so a flat series does not divide by zero. */
const SCALE_FLOOR = 1e-3;
/** Profile points seen before the hour-of-day predictor takes part. */
const SEASONAL_MIN_POINTS = 50;
/** Learning rate of the profile's residual scale. */
const SEASONAL_SCALE_ALPHA = 0.01;

/** Everything derived from the options once, shared by every detector built from the same options object. */
interface Params {
  readonly warmup: number;
  readonly horizons: number;
  readonly alphas: readonly number[];
  readonly seasonal: boolean;
  readonly seasonalHalfLifeMs: number;
  readonly clip: number;
  readonly aShort: number;
  readonly aLong: number;
  readonly alertSigma: number;
  readonly restPoints: number;
  readonly restDecay: number;
  /** Length of the state array. */
  readonly size: number;
}

// State layout: scalars, then per horizon [center, scale], then 24 profile medians.
const N = 0; // points seen
const SHORT = 1; // short average of raw scores
const R_MEAN = 2; // long-run mean of raw scores
const R_VAR = 3; // long-run variance of raw scores
const RESTING = 4; // points left in the rest period
const PENALTY = 5; // penalty subtracted from zl
const S_SCALE = 6; // residual scale of the hour-of-day profile
const S_N = 7; // points the profile has scored
const LAST_TS = 8; // last timestamp seen
const HORIZONS = 9;

function halfLifeAlpha(points: number): number {
  return 1 - 2 ** (-1 / points);
}

function positive(key: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(
      `@otel-perf/anomaly: detector option ${key} = ${String(value)} is invalid; expected a finite number ${allowZero ? '>= 0' : '> 0'}`,
    );
  }
  return value;
}

function toParams(options: DetectorOptions): Params {
  const horizons = options.horizons ?? [30, 300];
  if (!Array.isArray(horizons) || horizons.length < 1 || horizons.length > 4) {
    throw new TypeError(
      `@otel-perf/anomaly: detector option horizons = ${JSON.stringify(horizons)} is invalid; expected 1 to 4 half-lives in points`,
    );
  }
  const alphas = horizons.map((h, i) => halfLifeAlpha(positive(`horizons[${i}]`, h, 1)));
  const seasonal = options.seasonal ?? true;
  if (typeof seasonal !== 'boolean') {
    throw new TypeError(
      `@otel-perf/anomaly: detector option seasonal = ${String(seasonal)} is invalid; expected true or false`,
    );
  }
  const restHalfLife = positive('restHalfLife', options.restHalfLife, 500, true);
  return {
    warmup: Math.floor(positive('warmup', options.warmup, 150, true)),
    horizons: horizons.length,
    alphas,
    seasonal,
    seasonalHalfLifeMs: positive('seasonalHalfLifeDays', options.seasonalHalfLifeDays, 3) * HOUR_MS,
    clip: positive('clip', options.clip, 3),
    aShort: halfLifeAlpha(positive('shortHalfLife', options.shortHalfLife, 2)),
    aLong: halfLifeAlpha(positive('longHalfLife', options.longHalfLife, 2000)),
    alertSigma: positive('alertSigma', options.alertSigma, 1.5),
    restPoints: Math.floor(positive('restPoints', options.restPoints, 100, true)),
    restDecay: restHalfLife > 0 ? 2 ** (-1 / restHalfLife) : 0,
    size: HORIZONS + 2 * horizons.length + (seasonal ? 24 : 0),
  };
}

const DEFAULT_PARAMS = toParams({});
const paramsCache = new WeakMap<DetectorOptions, Params>();

/** Fills a fresh state array (a packed array of doubles: one on-heap block, no per-field boxes). */
function initState(state: number[], p: Params): void {
  for (let i = 0; i < p.size; i++) state[i] = 0;
  state[LAST_TS] = Number.NaN;
  const profile = HORIZONS + 2 * p.horizons;
  for (let i = profile; i < p.size; i++) state[i] = Number.NaN;
}

class StreamingDetector implements Detector {
  private readonly p: Params;
  private readonly s: number[];

  constructor(p: Params) {
    this.p = p;
    // 0.5 makes the array's elements kind "doubles" from the start.
    this.s = new Array<number>(p.size).fill(0.5);
    initState(this.s, p);
  }

  get baseline(): number {
    return this.s[HORIZONS + 2 * (this.p.horizons - 1)] as number;
  }

  get scale(): number {
    return this.s[HORIZONS + 2 * (this.p.horizons - 1) + 1] as number;
  }

  update(value: number, timestampMs: number): number {
    if (!Number.isFinite(value)) return 0;
    const p = this.p;
    const s = this.s;
    const n = (s[N] as number) + 1;
    s[N] = n;
    const inv = 1 / n;

    // 1-2. Predictors and the raw score of the best-fitting one.
    let bestScale = Number.POSITIVE_INFINITY;
    let raw = 0;
    for (let h = 0; h < p.horizons; h++) {
      const ci = HORIZONS + 2 * h;
      const c = n === 1 ? value : (s[ci] as number);
      const sc0 = s[ci + 1] as number;
      const floor = SCALE_FLOOR * Math.abs(c) + 1e-12;
      const sc = sc0 > floor ? sc0 : floor;
      const dev = value - c;
      const adev = dev < 0 ? -dev : dev;
      if (sc < bestScale) {
        bestScale = sc;
        raw = adev / sc;
      }
      const a0 = p.alphas[h] as number;
      const a = a0 > inv ? a0 : inv;
      const lim = p.clip * sc;
      const step = adev < lim ? adev : lim;
      s[ci] = c + a * (dev > 0 ? step : -step);
      s[ci + 1] = sc0 + a * (step - sc0);
    }
    if (p.seasonal && Number.isFinite(timestampMs)) {
      const dt = timestampMs - (s[LAST_TS] as number);
      s[LAST_TS] = timestampMs;
      const hour = Math.floor((((timestampMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
      const pi = HORIZONS + 2 * p.horizons + hour;
      const m = s[pi] as number;
      if (Number.isNaN(m)) {
        s[pi] = value;
      } else {
        const sn = (s[S_N] as number) + 1;
        s[S_N] = sn;
        const sc0 = s[S_SCALE] as number;
        const floor = SCALE_FLOOR * Math.abs(m) + 1e-12;
        const sc = sc0 > floor ? sc0 : floor;
        const dev = value - m;
        const adev = dev < 0 ? -dev : dev;
        if (sn > SEASONAL_MIN_POINTS && sc < bestScale) {
          bestScale = sc;
          raw = adev / sc;
        }
        // Each hour's value sees about an hour of points a day: a time-based rate gives it a half-life in days.
        const a = dt > 0 && dt < DAY_MS ? 1 - 2 ** (-dt / p.seasonalHalfLifeMs) : 0.1;
        const lim = p.clip * sc;
        const step = adev < lim ? adev : lim;
        s[pi] = m + a * (dev > 0 ? step : -step);
        const as = SEASONAL_SCALE_ALPHA > 1 / sn ? SEASONAL_SCALE_ALPHA : 1 / sn;
        s[S_SCALE] = sc0 + as * (step - sc0);
      }
    }
    raw = Math.log1p(raw < RAW_CAP ? raw : RAW_CAP);

    // 3. Likelihood of the short average against this series' own raw-score history.
    const aShort = p.aShort > inv ? p.aShort : inv;
    const short = (s[SHORT] as number) + aShort * (raw - (s[SHORT] as number));
    s[SHORT] = short;
    const rMean = s[R_MEAN] as number;
    const rSd = Math.sqrt(s[R_VAR] as number) + 1e-9;
    const zl = (short - rMean) / rSd;
    // The history is updated after scoring, winsorised at 3 deviations so an incident does not widen it much.
    const lim = rMean + 3 * rSd;
    const rr = n < 20 || raw < lim ? raw : lim;
    const aLong = p.aLong > inv ? p.aLong : inv;
    const dm = rr - rMean;
    s[R_MEAN] = rMean + aLong * dm;
    s[R_VAR] = (1 - aLong) * ((s[R_VAR] as number) + aLong * dm * dm);

    // 4. Warm-up, rest and penalty.
    const penalty = s[PENALTY] as number;
    s[PENALTY] = penalty * p.restDecay;
    if (n <= p.warmup) return 0;
    const resting = s[RESTING] as number;
    if (resting > 0) {
      s[RESTING] = resting - 1;
      return 0;
    }
    const ze = zl - penalty;
    if (!(ze > 0)) return 0;
    const score = ze >= 2 * p.alertSigma ? 1 : ze / (2 * p.alertSigma);
    if (score >= DEFAULT_ALERT_THRESHOLD) {
      s[RESTING] = p.restPoints;
      if (p.restDecay > 0) s[PENALTY] = (s[PENALTY] as number) + zl;
    }
    return score;
  }

  reset(): void {
    initState(this.s, this.p);
  }
}

/**
 * Creates a detector for one series. Invalid options throw here, with the key, the value and what is
 * allowed. Detectors built from the same options object share its derived parameters.
 */
export function createDetector(options?: DetectorOptions): Detector {
  if (options === undefined) return new StreamingDetector(DEFAULT_PARAMS);
  let p = paramsCache.get(options);
  if (p === undefined) {
    p = toParams(options);
    paramsCache.set(options, p);
  }
  return new StreamingDetector(p);
}
