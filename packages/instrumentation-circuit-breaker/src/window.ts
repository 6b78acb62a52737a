/** Calls, failed calls and slow calls in a window. */
export interface WindowCounts {
  calls: number;
  failures: number;
  slow: number;
}

/** A rolling window of call results: the recorder's window, and the slow-call mirror of library windows. */
export interface RollingWindow {
  add(failed: boolean, slow: boolean, nowMs: number): void;
  read(nowMs: number): WindowCounts;
}

const PRESENT = 1;
const FAILED = 2;
const SLOW = 4;

/** The last `size` calls, as a ring of flags with running sums: O(1) per call and per read. */
export class CountWindow implements RollingWindow {
  private readonly ring: Uint8Array;
  private next = 0;
  private calls = 0;
  private failures = 0;
  private slow = 0;

  constructor(size: number) {
    this.ring = new Uint8Array(size);
  }

  add(failed: boolean, slow: boolean): void {
    const old = this.ring[this.next] ?? 0;
    if (old & PRESENT) {
      this.calls--;
      if (old & FAILED) this.failures--;
      if (old & SLOW) this.slow--;
    }
    this.ring[this.next] = PRESENT | (failed ? FAILED : 0) | (slow ? SLOW : 0);
    this.calls++;
    if (failed) this.failures++;
    if (slow) this.slow++;
    this.next = (this.next + 1) % this.ring.length;
  }

  read(): WindowCounts {
    return { calls: this.calls, failures: this.failures, slow: this.slow };
  }
}

/**
 * The calls of the last `durationMs`, in `buckets` slices of equal length; a slice older than the window is
 * cleared when its slot is reused and skipped when read. O(1) per call, O(buckets) per read.
 */
export class TimeWindow implements RollingWindow {
  private readonly sliceMs: number;
  private readonly epochs: Float64Array;
  private readonly calls: Uint32Array;
  private readonly failures: Uint32Array;
  private readonly slow: Uint32Array;

  constructor(durationMs: number, buckets: number) {
    this.sliceMs = Math.max(1, durationMs / buckets);
    this.epochs = new Float64Array(buckets).fill(-1);
    this.calls = new Uint32Array(buckets);
    this.failures = new Uint32Array(buckets);
    this.slow = new Uint32Array(buckets);
  }

  add(failed: boolean, slow: boolean, nowMs: number): void {
    const epoch = Math.floor(nowMs / this.sliceMs);
    const i = epoch % this.epochs.length;
    if (this.epochs[i] !== epoch) {
      this.epochs[i] = epoch;
      this.calls[i] = 0;
      this.failures[i] = 0;
      this.slow[i] = 0;
    }
    this.calls[i] = (this.calls[i] ?? 0) + 1;
    if (failed) this.failures[i] = (this.failures[i] ?? 0) + 1;
    if (slow) this.slow[i] = (this.slow[i] ?? 0) + 1;
  }

  read(nowMs: number): WindowCounts {
    const current = Math.floor(nowMs / this.sliceMs);
    const oldest = current - this.epochs.length + 1;
    const out = { calls: 0, failures: 0, slow: 0 };
    for (let i = 0; i < this.epochs.length; i++) {
      const e = this.epochs[i] as number;
      if (e < oldest || e > current) continue;
      out.calls += this.calls[i] as number;
      out.failures += this.failures[i] as number;
      out.slow += this.slow[i] as number;
    }
    return out;
  }
}
