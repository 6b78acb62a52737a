// TEMPORARY stand-in for `./detector/index.js` (owned by wip/nab) until that branch is merged; same interface.
export interface DetectorOptions {
  alpha?: number;
}
export interface Detector {
  update(value: number, timestampMs: number): number;
  readonly baseline: number;
  readonly scale: number;
  reset(): void;
}
export const DEFAULT_ALERT_THRESHOLD = 0.9;

class Ewma implements Detector {
  baseline = Number.NaN;
  scale = 0;
  private n = 0;
  constructor(private readonly alpha: number) {}
  update(value: number, _t: number): number {
    if (!Number.isFinite(value)) return 0;
    if (this.n === 0) {
      this.baseline = value;
      this.n = 1;
      return 0;
    }
    const d = value - this.baseline;
    const sd = Math.max(this.scale, Math.abs(this.baseline) * 0.01, 1e-9);
    const z = Math.abs(d) / sd;
    const score = this.n < 10 ? 0 : 1 - Math.exp(-(z * z) / 8);
    this.baseline += this.alpha * d;
    this.scale = Math.sqrt((1 - this.alpha) * (this.scale * this.scale + this.alpha * d * d));
    this.n++;
    return score;
  }
  reset(): void {
    this.baseline = Number.NaN;
    this.scale = 0;
    this.n = 0;
  }
}
export function createDetector(options: DetectorOptions = {}): Detector {
  return new Ewma(options.alpha ?? 0.05);
}
