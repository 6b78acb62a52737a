import { describe, expect, it } from 'vitest';
import { decode, encode, LeakWindow, RegressionSlab } from '../src/series.js';

describe('fixed-size series state', () => {
  it('hourly means round-trip through 16-bit log codes within 0.3 %, from 1e-19 to 1e57', () => {
    for (const v of [1e-19, 0.0042, 0.25, 1, 3.3, 1234.5, 5e8, 1e57]) {
      expect(Math.abs(decode(encode(v)) / v - 1)).toBeLessThan(0.003);
    }
    for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(encode(v)).toBe(0);
    expect(decode(0)).toBeNaN();
  });

  it('the regression slab keeps 24 h of hourly means per slot, with gaps for hours without values', () => {
    const slab = new RegressionSlab();
    const a = slab.alloc();
    const b = slab.alloc();
    for (let hour = 100; hour < 130; hour++) {
      if (hour === 110) continue; // a gap
      slab.add(a, hour, hour);
      slab.add(a, hour, hour + 2); // mean hour + 1
      slab.add(b, hour, 7);
    }
    expect(slab.hourMean(a, 129 - 24)).toBeCloseTo(106, 0);
    expect(slab.hourMean(a, 110)).toBeNaN();
    expect(slab.hourMean(b, 129 - 24)).toBeCloseTo(7, 1);
    expect(slab.mean(a)).toBe(130);
    expect(slab.count(a)).toBe(2);
    slab.release(a);
    expect(slab.alloc()).toBe(a);
    expect(slab.hourMean(a, 105)).toBeNaN();
    expect(slab.marked(a)).toBeNaN();
  });

  it('the leak window fits a line exactly and ignores samples older than the window', () => {
    const w = new LeakWindow();
    for (let t = 0; t <= 120; t++) w.add(t * 60_000, t < 60 ? 500 : 100 + (t - 60) * 10, 60_000);
    const f = w.fit(120 * 60_000, 3_600_000);
    expect(f.r2).toBeCloseTo(1, 10);
    // 10 per minute = 600 per hour, over a mean of 400.
    expect(f.growthPerHour).toBeCloseTo(600 / 400, 10);
    expect(f.spanMs).toBe(3_600_000);
  });
});
