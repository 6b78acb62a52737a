/** Median of the samples (mean of the two middle ones for an even count). Throws on an empty list. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Smallest and largest sample. Throws on an empty list. */
export function minMax(samples: readonly number[]): { min: number; max: number } {
  if (samples.length === 0) throw new Error('min-max of no samples');
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return { min, max };
}

/** `value / baseline`; NaN when the baseline is 0 or not finite (no ratio can be told). */
export function ratio(value: number, baseline: number): number {
  if (baseline === 0 || !Number.isFinite(baseline)) return Number.NaN;
  return value / baseline;
}

/**
 * The order of the cases in round `round` (0-based): the list rotated left by `round`, so over
 * `n` rounds every case runs once in every position.
 */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const k = ((round % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** File-name slug of a title: `instrumentation-cache: L1 get hit` → `instrumentation-cache-l1-get-hit`. */
export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'bench'
  );
}
