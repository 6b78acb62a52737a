import { describe, expect, it } from 'vitest';
import { bucketDelta, histogramQuantile } from '../src/index.js';

const b = [0.1, 0.5, 1];

describe('histogramQuantile', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    // 10 values in (0, 0.1], 10 in (0.1, 0.5]
    expect(histogramQuantile(0.5, b, [10, 10, 0, 0])).toBeCloseTo(0.1);
    expect(histogramQuantile(0.75, b, [10, 10, 0, 0])).toBeCloseTo(0.3);
    expect(histogramQuantile(0.25, b, [10, 10, 0, 0])).toBeCloseTo(0.05);
  });
  it('uses min and max when known and caps the overflow bucket', () => {
    expect(histogramQuantile(0.5, b, [4, 0, 0, 0], 0.06)).toBeCloseTo(0.08);
    expect(histogramQuantile(0.99, b, [0, 0, 0, 5])).toBe(1);
    expect(histogramQuantile(0.99, b, [0, 0, 0, 5], undefined, 7.5)).toBe(7.5);
  });
  it('is NaN for an empty histogram or a bad q', () => {
    expect(histogramQuantile(0.5, b, [0, 0, 0, 0])).toBeNaN();
    expect(histogramQuantile(1.5, b, [1, 0, 0, 0])).toBeNaN();
    expect(histogramQuantile(Number.NaN, b, [1, 0, 0, 0])).toBeNaN();
  });
});

describe('bucketDelta', () => {
  it('subtracts a previous cumulative reading, never below 0', () => {
    expect(bucketDelta([5, 7, 9], [1, 7, 10])).toEqual([4, 0, 0]);
    expect(bucketDelta([5, 7], undefined)).toEqual([5, 7]);
  });
});
