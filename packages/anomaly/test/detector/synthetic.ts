/** Deterministic synthetic series for the detector tests (no Math.random: the same points on every run). */

/** A seeded pseudo-random generator (mulberry32), uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise (Box–Muller) from a seeded generator. */
export function gaussian(seed: number): () => number {
  const u = seeded(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export const START_MS = Date.UTC(2026, 0, 5);
export const MINUTE_MS = 60_000;

export interface SeriesOptions {
  level?: number;
  sd?: number;
  seed?: number;
  /** Added to point i. */
  shape?: (i: number) => number;
}

/** `length` points one minute apart: `level + noise * sd`, with `shape(i)` added to point i. */
export function series(
  length: number,
  { level = 100, sd = 2, seed = 1, shape = () => 0 }: SeriesOptions = {},
): { values: number[]; timestamps: number[] } {
  const noise = gaussian(seed);
  const values: number[] = [];
  const timestamps: number[] = [];
  for (let i = 0; i < length; i++) {
    values.push(level + sd * noise() + shape(i));
    timestamps.push(START_MS + i * MINUTE_MS);
  }
  return { values, timestamps };
}

/** Feeds a series through `update` and returns every score. */
export function scoreAll(
  detector: { update(value: number, timestampMs: number): number },
  s: { values: number[]; timestamps: number[] },
): number[] {
  return s.values.map((v, i) => detector.update(v, s.timestamps[i] as number));
}

/** Indexes whose score reaches `threshold`. */
export function alerts(scores: number[], threshold: number): number[] {
  const out: number[] = [];
  scores.forEach((s, i) => {
    if (s >= threshold) out.push(i);
  });
  return out;
}
