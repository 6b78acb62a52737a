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
 * Hourly means for the regression-against-yesterday rule: 25 float32 slots per series in shared chunks, so a
 * series costs 100 bytes here and no object of its own.
 */
export class HourlySlab {
  static readonly HOURS = 25;
  private static readonly CHUNK = 1024;
  private readonly chunks: Float32Array[] = [];
  private readonly free: number[] = [];
  private nextSlot = 0;

  alloc(): number {
    const slot = this.free.pop() ?? this.nextSlot++;
    const c = Math.floor(slot / HourlySlab.CHUNK);
    while (this.chunks.length <= c)
      this.chunks.push(new Float32Array(HourlySlab.CHUNK * HourlySlab.HOURS).fill(Number.NaN));
    (this.chunks[c] as Float32Array).fill(
      Number.NaN,
      this.offset(slot, 0),
      this.offset(slot, 0) + HourlySlab.HOURS,
    );
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  private offset(slot: number, hour: number): number {
    return (slot % HourlySlab.CHUNK) * HourlySlab.HOURS + (hour % HourlySlab.HOURS);
  }

  get(slot: number, hour: number): number {
    return (this.chunks[Math.floor(slot / HourlySlab.CHUNK)] as Float32Array)[
      this.offset(slot, hour)
    ] as number;
  }

  set(slot: number, hour: number, value: number): void {
    (this.chunks[Math.floor(slot / HourlySlab.CHUNK)] as Float32Array)[this.offset(slot, hour)] = value;
  }
}

/** Everything the processor keeps about one watched series: a fixed set of fields. */
export class Series {
  /** Evaluations with a value. */
  n = 0;
  /** Rule states (pending or open alerts) of this series in the alert book. */
  openStates = 0;
  /** Evaluation pass that last saw the series, and its first point in that pass (cleared after it). */
  mark = 0;
  first: DataPoint<unknown> | undefined = undefined;
  /** The evaluation (sequence number) that last saw this series: the eviction order. */
  lastSeen = 0;
  prev: CumulativePrevious | undefined = undefined;
  leak: LeakWindow | undefined = undefined;
  /** Regression: slot in the hourly slab (-1: not compared), current hour and its running mean. */
  slot = -1;
  hour = -1;
  hourSum = 0;
  hourN = 0;
  /** Regression: the value marked with `markBaseline()` (NaN: compare with 24 h earlier). */
  marked = Number.NaN;

  constructor(
    readonly key: string,
    readonly signal: CompiledSignal,
    readonly detector: Detector,
  ) {}

  /** Mean of the current hour so far. */
  hourMean(): number {
    return this.hourN > 0 ? this.hourSum / this.hourN : Number.NaN;
  }
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
