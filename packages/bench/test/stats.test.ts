import { describe, expect, it } from 'vitest';
import { median, minMax, ratio, rotation, slugify } from '../src/stats.js';

describe('median', () => {
  it('takes the middle sample of an odd count, whatever the input order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3, 100, 2, 1, 50])).toBe(3);
  });
  it('averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
  it('throws on no samples', () => {
    expect(() => median([])).toThrow(/no samples/);
  });
});

describe('minMax', () => {
  it('finds both ends', () => {
    expect(minMax([5, -2, 9, 0])).toEqual({ min: -2, max: 9 });
  });
});

describe('ratio', () => {
  it('divides by the baseline', () => {
    expect(ratio(45, 50)).toBeCloseTo(0.9, 12);
    expect(ratio(50, 50)).toBe(1);
  });
  it('is NaN for a zero baseline rather than Infinity', () => {
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('rotation', () => {
  const cases = ['a', 'b', 'c'];
  it('starts with the next case each round', () => {
    expect(rotation(cases, 0)).toEqual(['a', 'b', 'c']);
    expect(rotation(cases, 1)).toEqual(['b', 'c', 'a']);
    expect(rotation(cases, 2)).toEqual(['c', 'a', 'b']);
    expect(rotation(cases, 3)).toEqual(['a', 'b', 'c']);
  });
  it('puts every case in every position once over n rounds', () => {
    const items = ['a', 'b', 'c', 'd'];
    for (let pos = 0; pos < items.length; pos++) {
      const atPos = [0, 1, 2, 3].map((r) => rotation(items, r)[pos]);
      expect(new Set(atPos).size).toBe(items.length);
    }
  });
  it('handles no cases', () => {
    expect(rotation([], 3)).toEqual([]);
  });
});

describe('slugify', () => {
  it('makes a file name out of a title', () => {
    expect(slugify('instrumentation-cache: L1 get hit')).toBe('instrumentation-cache-l1-get-hit');
    expect(slugify('HTTP  throughput (wrk, 50 conns)')).toBe('http-throughput-wrk-50-conns');
  });
});
