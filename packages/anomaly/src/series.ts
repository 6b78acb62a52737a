import type { DataPoint } from '@opentelemetry/sdk-metrics';
import type { Detector } from './detection.js';
import type { CumulativePrevious } from './extract.js';
import type { CompiledSignal } from './signals.js';

/** Samples kept per series for the memory-leak regression (only series a leak rule reads have them). */
export const LEAK_SAMPLES = 64;

/** The time-ordered samples of one series over the leak window: a fixed ring of (time, value). */
export class LeakWindow {
  readonly t = new Float64Array(LEAK_SAMPLES);
  readonly v = new Float64Array(LEAK_SAMPLES);
  next = 0;
  size = 0;
  last = Number.NEGATIVE_INFINITY;

  add(t: number, v: number, minSpacingMs: number): void {
    if (t - this.last < minSpacingMs) return;
    this.last = t;
    this.t[this.next] = t;
    this.v[this.next] = v;
    this.next = (this.next + 1) % LEAK_SAMPLES;
    if (this.size < LEAK_SAMPLES) this.size++;
  }

  /**
   * Least-squares fit over the samples of the last `windowMs`: slope per hour relative to the mean, R², and
   * how much of the window the samples span.
   */
  fit(now: number, windowMs: number): { growthPerHour: number; r2: number; spanMs: number; mean: number } {
    let n = 0;
    let st = 0;
    let sv = 0;
    let first = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.size; i++) {
      const t = this.t[i] as number;
      if (t < now - windowMs) continue;
      n++;
      st += t;
      sv += this.v[i] as number;
      if (t < first) first = t;
    }
    if (n < 3) return { growthPerHour: 0, r2: 0, spanMs: 0, mean: Number.NaN };
    const mt = st / n;
    const mv = sv / n;
    let stt = 0;
    let stv = 0;
    let svv = 0;
    for (let i = 0; i < this.size; i++) {
      const t = this.t[i] as number;
      if (t < now - windowMs) continue;
      const dt = t - mt;
      const dv = (this.v[i] as number) - mv;
      stt += dt * dt;
      stv += dt * dv;
      svv += dv * dv;
    }
    const slope = stt > 0 ? stv / stt : 0;
    const r2 = stt > 0 && svv > 0 ? (stv * stv) / (stt * svv) : 0;
    return {
      growthPerHour: mv !== 0 ? (slope * 3_600_000) / Math.abs(mv) : 0,
      r2,
      spanMs: this.last - first,
      mean: mv,
    };
  }
}

/**
 * The regression rule's state, for every series it reads, in shared chunks instead of objects: per slot,
 * 25 hourly means as 16-bit log2 codes (0.3 % resolution, 1e-19 to 1e57; 0 = no value) and 4 float32s
 * (current hour, its sum and count, the marked baseline). 66 bytes a series.
 */
export class RegressionSlab {
  static readonly HOURS = 25;
  private static readonly CHUNK = 1024;
  private static readonly STATE = 4;
  private readonly means: Uint16Array[] = [];
  private readonly state: Float32Array[] = [];
  private readonly free: number[] = [];
  private nextSlot = 0;

  alloc(): number {
    const slot = this.free.pop() ?? this.nextSlot++;
    const c = Math.floor(slot / RegressionSlab.CHUNK);
    while (this.means.length <= c) {
      this.means.push(new Uint16Array(RegressionSlab.CHUNK * RegressionSlab.HOURS));
      this.state.push(new Float32Array(RegressionSlab.CHUNK * RegressionSlab.STATE));
    }
    const i = slot % RegressionSlab.CHUNK;
    (this.means[c] as Uint16Array).fill(0, i * RegressionSlab.HOURS, (i + 1) * RegressionSlab.HOURS);
    const st = this.state[c] as Float32Array;
    st[i * 4] = -1;
    st[i * 4 + 1] = 0;
    st[i * 4 + 2] = 0;
    st[i * 4 + 3] = Number.NaN;
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  /**
   * Adds a value to the series' current hour (hours are `floor(ms / 1 h)`); on a new hour, the last one's
   * mean is stored and the hours in between are cleared. Returns the current hour's mean so far.
   */
  add(slot: number, hour: number, value: number): number {
    const c = Math.floor(slot / RegressionSlab.CHUNK);
    const i = slot % RegressionSlab.CHUNK;
    const st = this.state[c] as Float32Array;
    const means = this.means[c] as Uint16Array;
    const base = i * RegressionSlab.HOURS;
    const cur = st[i * 4] as number;
    if (hour !== cur) {
      if (cur >= 0 && (st[i * 4 + 2] as number) > 0)
        means[base + (cur % RegressionSlab.HOURS)] = encode(
          (st[i * 4 + 1] as number) / (st[i * 4 + 2] as number),
        );
      // Hours with no value leave a gap, not a day-old number.
      for (let h = Math.max(cur + 1, hour - 24); h <= hour; h++)
        if (h !== cur) means[base + (h % RegressionSlab.HOURS)] = 0;
      st[i * 4] = hour;
      st[i * 4 + 1] = 0;
      st[i * 4 + 2] = 0;
    }
    st[i * 4 + 1] = (st[i * 4 + 1] as number) + value;
    st[i * 4 + 2] = (st[i * 4 + 2] as number) + 1;
    return (st[i * 4 + 1] as number) / (st[i * 4 + 2] as number);
  }

  /** Values in the current hour so far. */
  count(slot: number): number {
    return (this.state[Math.floor(slot / RegressionSlab.CHUNK)] as Float32Array)[
      (slot % RegressionSlab.CHUNK) * 4 + 2
    ] as number;
  }

  /** The current hour's mean so far (NaN with no value). */
  mean(slot: number): number {
    const st = this.state[Math.floor(slot / RegressionSlab.CHUNK)] as Float32Array;
    const i = (slot % RegressionSlab.CHUNK) * 4;
    return (st[i + 2] as number) > 0 ? (st[i + 1] as number) / (st[i + 2] as number) : Number.NaN;
  }

  /** The stored mean of `hour` (within the last 24 h), or NaN. */
  hourMean(slot: number, hour: number): number {
    const code = (this.means[Math.floor(slot / RegressionSlab.CHUNK)] as Uint16Array)[
      (slot % RegressionSlab.CHUNK) * RegressionSlab.HOURS +
        (((hour % RegressionSlab.HOURS) + RegressionSlab.HOURS) % RegressionSlab.HOURS)
    ] as number;
    return decode(code);
  }

  marked(slot: number): number {
    return (this.state[Math.floor(slot / RegressionSlab.CHUNK)] as Float32Array)[
      (slot % RegressionSlab.CHUNK) * 4 + 3
    ] as number;
  }

  mark(slot: number, value: number): void {
    (this.state[Math.floor(slot / RegressionSlab.CHUNK)] as Float32Array)[
      (slot % RegressionSlab.CHUNK) * 4 + 3
    ] = value;
  }
}

/** A positive value as a 16-bit log2 code (1/256 steps from 2^-64); 0 for none (≤ 0, NaN). */
export function encode(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 0;
  return Math.min(65_535, Math.max(1, Math.round((Math.log2(v) + 64) * 256)));
}

export function decode(code: number): number {
  return code === 0 ? Number.NaN : 2 ** (code / 256 - 64);
}

/** Everything the processor keeps about one watched series: a fixed set of fields. */
export class Series {
  /** Rule states (pending or open alerts) of this series in the alert book. */
  openStates = 0;
  /** Its first point in the current evaluation pass (set: seen in this pass; cleared after it). */
  first: DataPoint<unknown> | undefined = undefined;
  /** The evaluation (sequence number) that last saw this series: the eviction order. */
  lastSeen = 0;
  /** What only some series need (cumulative input, a leak rule), in one lazily made holder. */
  extra: { prev?: CumulativePrevious; leak?: LeakWindow } | undefined = undefined;
  /** Regression: slot in the regression slab (-1: the rule does not read this series). */
  slot = -1;

  constructor(
    readonly key: string,
    readonly signal: CompiledSignal,
    readonly detector: Detector,
  ) {}
}

/**
 * The watched series, bounded: past `max`, the least recently seen series are dropped (an eighth of the
 * table at once, so a burst of new series costs one scan, not one per series).
 */
export class SeriesTable {
  readonly map = new Map<string, Series>();
  evicted = 0;

  constructor(
    private readonly max: number,
    private readonly onEvict: (s: Series) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): Series | undefined {
    return this.map.get(key);
  }

  add(s: Series): void {
    if (this.map.size >= this.max) this.evict(Math.max(1, Math.ceil(this.max / 8)));
    this.map.set(s.key, s);
  }

  private evict(count: number): void {
    const all = [...this.map.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    for (let i = 0; i < count && i < all.length; i++) {
      const s = all[i] as Series;
      this.map.delete(s.key);
      this.evicted++;
      this.onEvict(s);
    }
  }
}
