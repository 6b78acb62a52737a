import { describe, expect, it } from 'vitest';
import { statusFromScore, thresholdScore } from '../src/index.js';
import { computeScores, overallStatus } from '../src/score.js';
import type { CheckResult } from '../src/types.js';

const t = { good: 20, warn: 100, fail: 500 };

function result(score: number | null, status: CheckResult['status'] = 'pass', unknown = false): CheckResult {
  return {
    componentType: 'component',
    status,
    unknown,
    time: new Date().toISOString(),
    durationMs: 1,
    score,
  };
}

describe('thresholdScore', () => {
  it('maps the thresholds onto the bands, so score and status agree', () => {
    expect(thresholdScore(0, t)).toBe(100);
    expect(thresholdScore(20, t)).toBe(100);
    expect(thresholdScore(60, t)).toBeCloseTo(92.5);
    expect(thresholdScore(100, t)).toBe(85);
    expect(thresholdScore(300, t)).toBeCloseTo(77.5);
    expect(thresholdScore(500, t)).toBe(70);
    expect(thresholdScore(750, t)).toBe(35);
    expect(thresholdScore(5000, t)).toBe(0);
    expect(statusFromScore(thresholdScore(99, t))).toBe('pass');
    expect(statusFromScore(thresholdScore(101, t))).toBe('warn');
    expect(statusFromScore(thresholdScore(501, t))).toBe('fail');
  });

  it('scores NaN as 0', () => {
    expect(thresholdScore(Number.NaN, t)).toBe(0);
  });
});

describe('computeScores and overallStatus', () => {
  it('weights checks within a component and components by their weight', () => {
    const s = computeScores([
      { component: 'a', weight: 1, result: result(100) },
      { component: 'a', weight: 3, result: result(60, 'fail') },
      { component: 'b', weight: 2, result: result(90) },
    ]);
    expect(s.components).toEqual({ a: 70, b: 90 });
    // a weighs 4, b weighs 2: (70*4 + 90*2) / 6
    expect(s.overall).toBeCloseTo(76.7, 1);
  });

  it('leaves unknown checks out of the score but never lets them read as healthy', () => {
    const scored = [
      { component: 'a', weight: 1, ready: false, result: result(100) },
      { component: 'b', weight: 1, ready: false, result: result(null, 'warn', true) },
    ];
    const s = computeScores(scored);
    expect(s.components.b).toBeNull();
    expect(s.overall).toBe(100);
    expect(overallStatus(s, scored)).toBe('warn');
  });

  it('fails overall when a check readiness depends on fails or is unknown', () => {
    const scored = [
      { component: 'a', weight: 5, ready: false, result: result(100) },
      { component: 'db', weight: 1, ready: true, result: result(null, 'warn', true) },
    ];
    expect(overallStatus(computeScores(scored), scored)).toBe('fail');
  });
});
