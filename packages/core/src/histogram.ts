/**
 * Estimates the `q` quantile (0–1) of an explicit-bucket histogram by linear interpolation inside the bucket
 * that holds it, as Prometheus' `histogram_quantile` does: `counts[i]` counts values in
 * `(boundaries[i-1], boundaries[i]]`, and the last count everything above the last boundary. A quantile in the
 * first bucket interpolates from 0 (or from `min` when known); in the overflow bucket it returns the last
 * boundary (or `max` when known). Returns NaN for an empty histogram or a `q` outside [0, 1].
 */
export function histogramQuantile(
  q: number,
  boundaries: readonly number[],
  counts: readonly number[],
  min?: number,
  max?: number,
): number {
  if (!(q >= 0 && q <= 1)) return Number.NaN;
  let total = 0;
  for (const c of counts) total += c;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && cumulative + c >= rank) {
      if (i >= boundaries.length) {
        const last = boundaries[boundaries.length - 1] ?? 0;
        return max !== undefined && Number.isFinite(max) ? Math.max(max, last) : last;
      }
      const upper = boundaries[i] as number;
      const lower =
        i === 0
          ? min !== undefined && Number.isFinite(min)
            ? Math.min(min, upper)
            : 0
          : (boundaries[i - 1] as number);
      return lower + ((upper - lower) * (rank - cumulative)) / c;
    }
    cumulative += c;
  }
  return boundaries[boundaries.length - 1] ?? Number.NaN;
}

/** Bucket counts of `current` minus those of `previous` (two cumulative readings of one series). */
export function bucketDelta(current: readonly number[], previous: readonly number[] | undefined): number[] {
  if (!previous || previous.length !== current.length) return [...current];
  return current.map((c, i) => Math.max(0, c - (previous[i] ?? 0)));
}
