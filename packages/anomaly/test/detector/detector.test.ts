import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createDetector, DEFAULT_ALERT_THRESHOLD, type DetectorOptions } from '../../src/detector/index.js';
import { alerts, gaussian, MINUTE_MS, START_MS, scoreAll, seeded, series } from './synthetic.js';

const T = DEFAULT_ALERT_THRESHOLD;

describe('detector: synthetic series (level 100, noise sd 2, one point a minute)', () => {
  it('a 20σ spike at point 1500 scores above the threshold at that point and nowhere else', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreAll(createDetector(), series(4000, { seed, shape: (i) => (i === 1500 ? 40 : 0) }));
      expect(alerts(scores, T), `seed ${seed}`).toEqual([1500]);
    }
  });

  it('a 4σ blip is noise: no alert', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreAll(createDetector(), series(4000, { seed, shape: (i) => (i === 1500 ? 8 : 0) }));
      expect(alerts(scores, T), `seed ${seed}`).toEqual([]);
    }
  });

  it('a 10σ step at point 1500 gives one alert within two points, and none while the new level is learnt', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreAll(createDetector(), series(4000, { seed, shape: (i) => (i >= 1500 ? 20 : 0) }));
      const fired = alerts(scores, T);
      expect(fired, `seed ${seed}`).toHaveLength(1);
      expect(fired[0]).toBeGreaterThanOrEqual(1500);
      expect(fired[0]).toBeLessThanOrEqual(1502);
    }
  });

  it('the baseline follows a step: after it the detector reports the new level', () => {
    const d = createDetector();
    scoreAll(d, series(4000, { seed: 4, shape: (i) => (i >= 1500 ? 20 : 0) }));
    expect(d.baseline).toBeGreaterThan(117);
    expect(d.baseline).toBeLessThan(123);
  });

  it('a slow drift (0.001σ a point, 4σ over the series) never alerts: the baseline moves with it', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreAll(createDetector(), series(4000, { seed, shape: (i) => i * 0.002 }));
      expect(alerts(scores, T), `seed ${seed}`).toEqual([]);
    }
  });

  it('a fast ramp (0.25σ a point from point 1500) alerts within 15 points of its start', () => {
    for (const seed of [1, 2, 3]) {
      const scores = scoreAll(
        createDetector(),
        series(4000, { seed, shape: (i) => (i >= 1500 ? (i - 1500) * 0.5 : 0) }),
      );
      const first = alerts(scores, T)[0];
      expect(first, `seed ${seed}`).toBeGreaterThanOrEqual(1500);
      expect(first).toBeLessThanOrEqual(1515);
    }
  });

  it('pure Gaussian noise: fewer than 1 alert per 10,000 points', () => {
    const scores = scoreAll(createDetector(), series(50_000, { seed: 7 }));
    expect(alerts(scores, T).length).toBeLessThan(5);
  });

  it('returns 0 during the warm-up', () => {
    const d = createDetector({ warmup: 50 });
    const noise = gaussian(3);
    for (let i = 0; i < 50; i++)
      expect(d.update(i % 2 === 0 ? 1e9 : noise(), START_MS + i * MINUTE_MS)).toBe(0);
  });
});

describe('detector: daily cycle (hour-of-day profile)', () => {
  const DAY = 288; // points of 5 minutes
  const peak = (i: number) => {
    const hour = (i % DAY) / 12;
    return hour >= 9 && hour < 17 ? 60 : 0;
  };
  const daily = (seed: number, shape: (i: number) => number) => {
    const s = series(DAY * 8, { seed, level: 20, sd: 2, shape });
    s.timestamps = s.timestamps.map((_, i) => START_MS + i * 300_000);
    return s;
  };

  it('a regular daily peak does not alert; the same series without the profile does', () => {
    for (const seed of [1, 2]) {
      expect(alerts(scoreAll(createDetector(), daily(seed, peak)), T), `seed ${seed}`).toEqual([]);
      expect(
        alerts(scoreAll(createDetector({ seasonal: false }), daily(seed, peak)), T).length,
      ).toBeGreaterThan(0);
    }
  });

  it('a missing daily peak alerts when the peak should have started (day 7, 09:00)', () => {
    const expected = DAY * 6 + 9 * 12;
    for (const seed of [1, 2]) {
      const s = daily(seed, (i) => (i >= DAY * 6 && i < DAY * 7 ? 0 : peak(i)));
      const first = alerts(scoreAll(createDetector(), s), T)[0];
      expect(first, `seed ${seed}`).toBeGreaterThanOrEqual(expected);
      expect(first).toBeLessThanOrEqual(expected + 3);
    }
  });
});

describe('detector: input handling and bounds', () => {
  it('NaN and ±Infinity return 0 and leave the state unchanged', () => {
    const s = series(3000, { seed: 5, shape: (i) => (i === 2000 ? 40 : 0) });
    const clean = createDetector();
    const dirty = createDetector();
    const a: number[] = [];
    const b: number[] = [];
    s.values.forEach((v, i) => {
      const t = s.timestamps[i] as number;
      a.push(clean.update(v, t));
      if (i % 7 === 0) {
        expect(dirty.update(Number.NaN, t)).toBe(0);
        expect(dirty.update(Number.POSITIVE_INFINITY, t)).toBe(0);
        expect(dirty.update(Number.NEGATIVE_INFINITY, t)).toBe(0);
      }
      b.push(dirty.update(v, t));
    });
    expect(b).toEqual(a);
    expect(dirty.baseline).toBe(clean.baseline);
    expect(dirty.scale).toBe(clean.scale);
    expect(alerts(b, T)).toEqual([2000]);
  });

  it('scores stay in [0, 1] on hostile input (huge, tiny, negative, constant runs, repeated or missing timestamps)', () => {
    const u = seeded(11);
    const d = createDetector();
    let t = START_MS;
    let lo = 0;
    let hi = 0;
    let finite = true;
    for (let i = 0; i < 100_000; i++) {
      const r = u();
      const v =
        r < 0.1
          ? 0
          : r < 0.2
            ? 1e300 * (u() - 0.5)
            : r < 0.3
              ? -1e-300
              : r < 0.6
                ? 42
                : (u() - 0.5) * 10 ** (u() * 20);
      t += r < 0.05 ? 0 : r < 0.1 ? -MINUTE_MS : MINUTE_MS;
      const score = d.update(v, r < 0.02 ? Number.NaN : t);
      if (!Number.isFinite(score)) finite = false;
      if (score < lo) lo = score;
      if (score > hi) hi = score;
    }
    expect(finite).toBe(true);
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0);
    expect(Number.isFinite(d.baseline)).toBe(true);
    expect(Number.isFinite(d.scale)).toBe(true);
  });

  it('a constant series never alerts, and its first change does', () => {
    const d = createDetector();
    for (let i = 0; i < 1000; i++) expect(d.update(5, START_MS + i * MINUTE_MS)).toBe(0);
    expect(d.baseline).toBe(5);
    expect(d.update(6, START_MS + 1000 * MINUTE_MS)).toBeGreaterThanOrEqual(T);
  });

  it('baseline and scale describe the series (robust center and mean absolute deviation)', () => {
    const d = createDetector();
    scoreAll(d, series(3000, { seed: 6, level: 250, sd: 4, shape: (i) => (i % 500 === 0 ? 400 : 0) }));
    expect(d.baseline).toBeGreaterThan(248);
    expect(d.baseline).toBeLessThan(252);
    // mean absolute deviation of a normal distribution: sd · √(2/π) ≈ 3.2
    expect(d.scale).toBeGreaterThan(2.5);
    expect(d.scale).toBeLessThan(4);
  });

  it('reset() forgets everything: the scores are those of a fresh detector', () => {
    const s = series(2500, { seed: 8, shape: (i) => (i === 2000 ? 40 : 0) });
    const d = createDetector();
    scoreAll(d, series(3000, { seed: 9, level: -50, sd: 30 }));
    d.reset();
    expect(scoreAll(d, s)).toEqual(scoreAll(createDetector(), s));
  });

  it('the state has a fixed size: the same serialized size after 100 and after 200,000 points', () => {
    const sizeAfter = (points: number) => {
      const d = createDetector();
      scoreAll(d, series(points, { seed: 10 }));
      return serialize(d).length;
    };
    expect(sizeAfter(200_000)).toBe(sizeAfter(100));
  });
});

describe('detector: options', () => {
  it('invalid options throw at construction, naming the key, the value and what is allowed', () => {
    const bad: [DetectorOptions, RegExp][] = [
      [{ warmup: -1 }, /warmup = -1 .*>= 0/],
      [{ horizons: [] }, /horizons = \[\] .*1 to 4/],
      [{ horizons: [10, 0] }, /horizons\[1\] = 0 .*> 0/],
      [{ alertSigma: Number.NaN }, /alertSigma = NaN/],
      [{ restHalfLife: -5 }, /restHalfLife = -5/],
      [{ seasonal: 'yes' as unknown as boolean }, /seasonal = yes .*true or false/],
    ];
    for (const [options, message] of bad) expect(() => createDetector(options)).toThrow(message);
  });

  it('detectors built from one options object share nothing but the options: their states are independent', () => {
    const options: DetectorOptions = { horizons: [20, 200] };
    const a = createDetector(options);
    const b = createDetector(options);
    scoreAll(a, series(1000, { seed: 1, level: 10 }));
    scoreAll(b, series(1000, { seed: 1, level: 1000 }));
    expect(a.baseline).toBeLessThan(20);
    expect(b.baseline).toBeGreaterThan(900);
  });

  it('alertSigma moves the threshold: a stricter detector does not fire on the 20σ spike a looser one fires on', () => {
    const s = series(4000, { seed: 1, shape: (i) => (i === 1500 ? 40 : 0) });
    expect(alerts(scoreAll(createDetector({ alertSigma: 1.5 }), s), T)).toEqual([1500]);
    expect(alerts(scoreAll(createDetector({ alertSigma: 5 }), s), T)).toEqual([]);
  });
});
