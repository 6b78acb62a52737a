import type { CheckResult, HealthStatus, ScoreBands } from './types.js';

/** The default bands: above 85 healthy, 70–85 watch, below 70 investigate. */
export const DEFAULT_BANDS: ScoreBands = { healthy: 85, watch: 70 };

/** Thresholds of a measurement where a higher value is worse. */
export interface Thresholds {
  /** At or below this the score is 100. */
  good: number;
  /** At this value the score reaches the bottom of the healthy band. */
  warn: number;
  /** At this value the score reaches the bottom of the watch band; at twice it, 0. */
  fail: number;
}

/**
 * Maps a value to a 0–100 score, piecewise linear: `good` → 100, `warn` → bands.healthy, `fail` →
 * bands.watch, `2 × fail` → 0. So the status that {@link statusFromScore} derives agrees with the thresholds:
 * below `warn` pass, from `warn` to `fail` warn, above `fail` fail.
 */
export function thresholdScore(value: number, t: Thresholds, bands: ScoreBands = DEFAULT_BANDS): number {
  if (!Number.isFinite(value)) return 0;
  const points: [number, number][] = [
    [t.good, 100],
    [t.warn, bands.healthy],
    [t.fail, bands.watch],
    [t.fail * 2, 0],
  ];
  if (value <= t.good) return 100;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x0, y0] = points[i - 1] as [number, number];
    if (value <= x1) return x1 === x0 ? y1 : y0 + ((value - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 0;
}

/** Pass at or above the healthy band, warn in the watch band, fail below. */
export function statusFromScore(score: number, bands: ScoreBands = DEFAULT_BANDS): HealthStatus {
  if (score >= bands.healthy) return 'pass';
  if (score >= bands.watch) return 'warn';
  return 'fail';
}

/** The status of a check whose thresholds say higher is worse. */
export function thresholdStatus(value: number, t: Thresholds): HealthStatus {
  if (!Number.isFinite(value) || value > t.fail) return 'fail';
  if (value > t.warn) return 'warn';
  return 'pass';
}

/** Scores per component and overall. */
export interface Scores {
  /** 0–100, or null when no check of any component had a verdict. */
  overall: number | null;
  components: Record<string, number | null>;
}

/**
 * Component score: the weighted mean of its checks' scores, leaving out unknown checks (their component is
 * null when all are unknown). Overall: the weighted mean of the component scores, each component weighing the
 * sum of its known checks' weights. Unknown checks never raise a score; {@link overallStatus} keeps them from
 * reading as healthy.
 */
export function computeScores(results: { component: string; weight: number; result: CheckResult }[]): Scores {
  const acc = new Map<string, { sum: number; weight: number }>();
  for (const { component, weight, result } of results) {
    const a = acc.get(component) ?? { sum: 0, weight: 0 };
    acc.set(component, a);
    if (result.score === null || weight <= 0) continue;
    a.sum += result.score * weight;
    a.weight += weight;
  }
  const components: Record<string, number | null> = {};
  let sum = 0;
  let weight = 0;
  for (const [component, a] of acc) {
    const s = a.weight > 0 ? round1(a.sum / a.weight) : null;
    components[component] = s;
    if (s !== null) {
      sum += s * a.weight;
      weight += a.weight;
    }
  }
  return { overall: weight > 0 ? round1(sum / weight) : null, components };
}

/**
 * The overall status: from the overall score's band, then made no better than `warn` when any check failed or
 * is unknown, and `fail` when a check that readiness depends on failed or is unknown.
 */
export function overallStatus(
  scores: Scores,
  results: { ready: boolean; result: CheckResult }[],
  bands: ScoreBands = DEFAULT_BANDS,
): HealthStatus {
  let status: HealthStatus = scores.overall === null ? 'pass' : statusFromScore(scores.overall, bands);
  for (const { ready, result } of results) {
    const bad = result.unknown || result.status === 'fail';
    if (ready && bad) return 'fail';
    if ((bad || result.status === 'warn') && status === 'pass') status = 'warn';
  }
  return status;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
