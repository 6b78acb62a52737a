import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { describe, expect, it } from 'vitest';
import { collection, gauge, harness, histogram, ONLY, rng, sum } from './synthetic.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const HEAP = 'v8js.memory.heap.used';

/** Least squares over (t, v): growth per hour relative to the mean, and R² (the test's own oracle). */
function fit(points: [number, number][]): { growth: number; r2: number } {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p[0], 0) / n;
  const mv = points.reduce((a, p) => a + p[1], 0) / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (const [t, v] of points) {
    stt += (t - mt) ** 2;
    stv += (t - mt) * (v - mv);
    svv += (v - mv) ** 2;
  }
  const slope = stv / stt;
  return { growth: (slope * HOUR) / mv, r2: svv > 0 ? (stv * stv) / (stt * svv) : 0 };
}

describe('memory-leak rule', () => {
  it('fires once the window is covered by a sustained growth, resolves when the fit says it stopped', () => {
    const h = harness({ rules: { ...ONLY, memoryLeak: {} } }, MIN);
    const heap = (tMin: number) => 100e6 * (1 + (0.3 * Math.min(tMin, 180)) / 60); // +30 %/h for 3 h, then flat
    const seen: [number, number][] = [];
    let expectedResolve = Number.NaN;
    for (let i = 1; i <= 300; i++) {
      h.step((now) => collection(gauge(HEAP, [[{ 'v8js.heap.space.name': 'old_space' }, heap(i)]], now)));
      seen.push([i * MIN, heap(i)]);
      if (i > 180 && Number.isNaN(expectedResolve)) {
        const f = fit(seen.filter(([t]) => t >= i * MIN - HOUR));
        if (!(f.growth > 0.1 && f.r2 >= 0.5)) expectedResolve = i * MIN;
      }
    }
    // Samples every minute from t = 1 min; the fit needs 90 % of the hour: 54 min of span, at t = 55 min.
    expect(h.timesOf('memoryLeak', 'firing')).toEqual([55 * MIN]);
    expect(expectedResolve).toBeGreaterThan(180 * MIN);
    expect(h.timesOf('memoryLeak', 'resolved')).toEqual([expectedResolve]);
    const alert = h.events[0]?.alert;
    expect(alert?.signal).toBe(HEAP);
    expect(alert?.reason).toMatch(/grows \d+(\.\d+)?% per hour over the last 60 min/);
    expect(alert?.level).toBe('warning');
  });

  it('does not fire on a flat noisy heap or on a few spikes', () => {
    const h = harness({ rules: { ...ONLY, memoryLeak: {} } }, MIN);
    const r = rng(7);
    for (let i = 1; i <= 240; i++) {
      const spike = i % 50 === 0 ? 40e6 : 0;
      h.step((now) => collection(gauge(HEAP, [[{}, 100e6 + r() * 5e6 + spike]], now)));
    }
    expect(h.events).toEqual([]);
  });
});

describe('anomaly rule (streaming detector)', () => {
  const QUEUE = { id: 'queue.depth', metric: 'queue.depth', stat: 'value', groupBy: [] } as const;

  it('a step fires one alert at the step, which resolves after the quiet time and is not repeated', () => {
    const h = harness({ signals: [QUEUE], rules: { ...ONLY, anomaly: {} } }, 15_000);
    const r = rng(1);
    for (let i = 1; i <= 1000; i++) {
      const v = (i <= 400 ? 100 : 160) + (r() - 0.5) * 4;
      h.step((now) => collection(gauge('queue.depth', [[{}, v]], now)));
    }
    const fired = h.timesOf('anomaly', 'firing');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBe(STEP_FIRES_AT * 15_000);
    // It then rests (score 0): the alert resolves after resolveAfterMs (60 s) of quiet, measured from the
    // first quiet evaluation.
    expect(h.timesOf('anomaly', 'resolved')).toEqual([(STEP_FIRES_AT + 1) * 15_000 + 60_000]);
    const a = h.events[0]?.alert;
    expect(a?.value).toBeGreaterThan(150);
    expect(a?.baseline).toBeGreaterThan(95);
    expect(a?.baseline).toBeLessThan(130);
    expect(a?.score).toBeGreaterThanOrEqual(0.5);
  });

  it('a drop on an up-only signal does not alert; on a down signal it does', () => {
    for (const direction of ['up', 'down'] as const) {
      const h = harness({ signals: [{ ...QUEUE, direction }], rules: { ...ONLY, anomaly: {} } }, 15_000);
      const r = rng(3);
      for (let i = 1; i <= 500; i++) {
        const v = (i <= 400 ? 100 : 40) + (r() - 0.5) * 4;
        h.step((now) => collection(gauge('queue.depth', [[{}, v]], now)));
      }
      expect(h.timesOf('anomaly', 'firing')).toHaveLength(direction === 'up' ? 0 : 1);
    }
  });

  it('a spike fires one alert; a second spike within the rest period does not; the baseline is not poisoned', () => {
    const h = harness({ signals: [QUEUE], rules: { ...ONLY, anomaly: {} } }, 15_000);
    const r = rng(5);
    for (let i = 1; i <= 600; i++) {
      const base = 100 + (r() - 0.5) * 4;
      const v = i === 300 || i === 320 ? 400 : i >= 450 && i < 456 ? 400 : base;
      h.step((now) => collection(gauge('queue.depth', [[{}, v]], now)));
    }
    // 320 is 5 min after the first alert fired: inside restMs (30 min). The burst at 450 is 37.5 min after.
    expect(h.timesOf('anomaly', 'firing')).toEqual([300 * 15_000, BURST_FIRES_AT * 15_000]);
    expect(h.timesOf('anomaly', 'resolved')[0]).toBe(301 * 15_000 + 60_000);
    const [spike, burst] = h.events.filter((e) => e.event === 'firing').map((e) => e.alert);
    expect(spike?.value).toBe(400);
    // Robust baselines: two spikes of 4× leave the baseline where the data is.
    for (const a of [spike, burst]) {
      expect(a?.baseline).toBeGreaterThan(97);
      expect(a?.baseline).toBeLessThan(103);
    }
  });

  it('a slow drift is absorbed by the detector and caught by the regression rule against a marked baseline', () => {
    const h = harness(
      { signals: [QUEUE], rules: { ...ONLY, anomaly: {}, regression: { signals: ['queue.depth'] } } },
      MIN,
    );
    const r = rng(11);
    const values: number[] = [];
    for (let i = 1; i <= 400; i++) {
      const v = 100 + (i - 1) * 0.2 + (r() - 0.5) * 2;
      values.push(v);
      h.step((now) => collection(gauge('queue.depth', [[{}, v]], now)));
      if (i === 1) expect(h.processor.markBaseline()).toBe(1);
    }
    expect(h.timesOf('anomaly', 'firing')).toEqual([]);
    // Oracle: the first minute whose hour-so-far mean (5 values at least) exceeds 1.5 × the marked value.
    const marked = values[0] as number;
    let expected = Number.NaN;
    for (let i = 1; i <= 400 && Number.isNaN(expected); i++) {
      const hourStart = Math.max(1, Math.floor(i / 60) * 60);
      const cur = values.slice(hourStart - 1, i);
      if (cur.length >= 5 && cur.reduce((a, b) => a + b, 0) / cur.length > 1.5 * marked) expected = i * MIN;
    }
    expect(expected).toBeGreaterThan(200 * MIN);
    expect(h.timesOf('regression', 'firing')).toEqual([expected]);
    expect(h.events.find((e) => e.alert.rule === 'regression')?.alert.reason).toMatch(/the marked baseline/);
  });
});

describe('regression against yesterday', () => {
  it('fires when this hour is 1.5× the same hour 24 h earlier, resolves when the next hour is back', () => {
    const h = harness({ rules: { ...ONLY, regression: {} } }, 5 * MIN);
    const slowFrom = 27 * HOUR;
    const slowTo = 28 * HOUR;
    for (let i = 1; i <= (30 * HOUR) / (5 * MIN); i++) {
      h.step((now) => {
        const t = i * 5 * MIN;
        // All requests in (0.1, 0.25] (p99 ≈ 0.2485 s), or in (0.25, 0.5] during the slow hour (≈ 0.4975 s).
        const counts = HTTP_DURATION_BUCKETS.map(() => 0).concat(0);
        counts[t >= slowFrom && t < slowTo ? 7 : 6] = 100;
        return collection(
          histogram(
            'http.server.request.duration',
            [...HTTP_DURATION_BUCKETS],
            [
              {
                attributes: {
                  'http.request.method': 'GET',
                  'http.route': '/items',
                  'http.response.status_code': 200,
                },
                counts,
              },
            ],
            now - 5 * MIN,
            now,
          ),
        );
      });
    }
    // Five values of the slow hour are needed: 27:00, :05, :10, :15, :20.
    expect(h.timesOf('regression', 'firing')).toEqual([slowFrom + 20 * MIN]);
    // The next hour needs five values too before it can say the regression is over.
    expect(h.timesOf('regression', 'resolved')).toEqual([slowTo + 20 * MIN]);
    const a = h.events[0]?.alert;
    expect(a?.series).toBe('http.server.request.duration{http.request.method="GET",http.route="/items"}');
    expect(a?.labels).toEqual({ 'http.request.method': 'GET', 'http.route': '/items' });
    // Hourly means are kept as 16-bit log codes: within 0.3 %.
    expect(Math.abs((a?.baseline as number) / (0.1 + 0.15 * 0.99) - 1)).toBeLessThan(0.003);
    expect(a?.value).toBeCloseTo(0.25 + 0.25 * 0.99, 4);
    expect(a?.reason).toMatch(/averages 0\.4975 this hour, 2(\.\d+)?× the same hour yesterday \(0\.24\d+\)/);
  });

  it('does not fire on day one (no reference)', () => {
    const h = harness({ rules: { ...ONLY, regression: {} } }, 5 * MIN);
    for (let i = 1; i <= 100; i++) {
      const counts = HTTP_DURATION_BUCKETS.map(() => 0).concat(0);
      counts[i > 50 ? 9 : 6] = 100;
      h.step((now) =>
        collection(
          histogram(
            'http.server.request.duration',
            [...HTTP_DURATION_BUCKETS],
            [{ attributes: {}, counts }],
            now - 5 * MIN,
            now,
          ),
        ),
      );
    }
    expect(h.events).toEqual([]);
  });
});

describe('threshold rules', () => {
  const reqs = (ok: number, errors: number, route = '/pay') => ({
    name: 'http.server.request.duration',
    points: [
      { attributes: { 'http.route': route, 'http.response.status_code': 200 }, counts: [ok, 0] },
      { attributes: { 'http.route': route, 'http.response.status_code': 503 }, counts: [errors, 0] },
    ],
  });

  it('error rate > 5 % for 60 s: pending, firing at +60 s, resolved at the first good interval', () => {
    const h = harness({ rules: { ...ONLY, errorRate: {} } }, 15_000);
    for (let i = 1; i <= 20; i++) {
      const { name, points } = i >= 5 && i < 12 ? reqs(90, 10) : reqs(100, 0);
      h.step((now) => collection(histogram(name, [1], points, now - 15_000, now)));
      if (i === 5) {
        const pending = h.processor.alerts('pending');
        expect(pending.map((a) => [a.rule, a.state, a.value])).toEqual([['errorRate', 'pending', 0.1]]);
        expect(h.processor.activeAlerts()).toEqual([]);
      }
    }
    expect(h.timesOf('errorRate', 'firing')).toEqual([9 * 15_000]);
    expect(h.timesOf('errorRate', 'resolved')).toEqual([12 * 15_000]);
    const a = h.events[0]?.alert;
    expect(a).toMatchObject({
      level: 'critical',
      baseline: 0.05,
      value: 0.1,
      labels: { 'http.route': '/pay' },
    });
    expect(a?.reason).toBe('HTTP 5xx ratio is 0.1, above 0.05');
  });

  it('a condition shorter than forMs never fires', () => {
    const h = harness({ rules: { ...ONLY, errorRate: {} } }, 15_000);
    for (let i = 1; i <= 20; i++) {
      const { name, points } = i >= 5 && i < 8 ? reqs(50, 50) : reqs(100, 0);
      h.step((now) => collection(histogram(name, [1], points, now - 15_000, now)));
    }
    expect(h.events).toEqual([]);
    expect(h.processor.alerts('all')).toEqual([]);
  });

  it('user rules with lt / gte and levels; CPU and event loop built-ins', () => {
    const h = harness(
      {
        rules: { ...ONLY, cpu: { forMs: 0 }, eventLoopDelay: { forMs: 0 } },
        thresholds: [
          { name: 'heapLow', signal: HEAP, op: 'lt', value: 10e6, level: 'info' },
          { name: 'heapHuge', signal: HEAP, op: 'gte', value: 1e9, level: 'critical' },
        ],
      },
      15_000,
    );
    h.step((now) =>
      collection(
        gauge(HEAP, [[{}, 5e6]], now),
        gauge(
          'process.cpu.utilization',
          [
            [{ 'cpu.mode': 'user' }, 0.5],
            [{ 'cpu.mode': 'system' }, 0.35],
          ],
          now,
        ),
        gauge('nodejs.eventloop.delay.p99', [[{}, 0.1]], now),
      ),
    );
    h.step((now) =>
      collection(
        gauge(HEAP, [[{}, 1e9]], now),
        gauge(
          'process.cpu.utilization',
          [
            [{ 'cpu.mode': 'user' }, 0.5],
            [{ 'cpu.mode': 'system' }, 0.2],
          ],
          now,
        ),
        gauge('nodejs.eventloop.delay.p99', [[{}, 0.25]], now),
      ),
    );
    expect(h.events.map((e) => [e.at, e.event, e.alert.rule, e.alert.level])).toEqual([
      [15_000, 'firing', 'heapLow', 'info'],
      [15_000, 'firing', 'cpu', 'warning'],
      [30_000, 'resolved', 'heapLow', 'info'],
      [30_000, 'firing', 'heapHuge', 'critical'],
      [30_000, 'resolved', 'cpu', 'warning'],
      [30_000, 'firing', 'eventLoopDelay', 'warning'],
    ]);
    // CPU is summed over cpu.mode: 0.85 > 0.8.
    expect(h.events[1]?.alert.value).toBeCloseTo(0.85, 10);
  });
});

/** The step starts at evaluation 401; the detector scores its first point above the threshold. */
const STEP_FIRES_AT = 401;
/** The burst starts at evaluation 450; the detector crosses on its 2nd point (it still rests after 320). */
const BURST_FIRES_AT = 451;

describe('breakers and counters', () => {
  it('an open breaker fires breakerOpen (and no anomaly alert) with the default rules', () => {
    const h = harness({}, 15_000);
    const state = (open: boolean) => (now: number) =>
      collection(
        sum(
          'circuit_breaker.state',
          ['closed', 'open', 'half_open'].map((st) => [
            { 'circuit_breaker.name': 'payments', 'circuit_breaker.state': st },
            (st === 'open') === open && (open || st === 'closed') ? 1 : 0,
          ]),
          0,
          now,
        ),
      );
    for (let i = 0; i < 200; i++) h.step(state(false));
    h.step(state(true));
    h.step(state(true));
    h.step(state(false));
    expect(h.events.map((e) => [e.event, e.alert.rule, e.alert.labels['circuit_breaker.name']])).toEqual([
      ['firing', 'breakerOpen', 'payments'],
      ['resolved', 'breakerOpen', 'payments'],
    ]);
  });

  it('a rate signal on a delta counter: events per second over the interval', () => {
    const h = harness(
      {
        signals: [{ id: 'orders.rate', metric: 'orders', stat: 'rate', groupBy: [] }],
        rules: ONLY,
        thresholds: [{ name: 'orderFlood', signal: 'orders.rate', op: 'gte', value: 10 }],
      },
      15_000,
    );
    h.step((now) =>
      collection(
        sum(
          'orders',
          [
            [{ shop: 'a' }, 60],
            [{ shop: 'b' }, 60],
          ],
          now - 15_000,
          now,
          { temporality: 0, monotonic: true },
        ),
      ),
    );
    h.step((now) =>
      collection(
        sum('orders', [[{ shop: 'a' }, 150]], now - 15_000, now, { temporality: 0, monotonic: true }),
      ),
    );
    // 120 / 15 s = 8/s, then 150 / 15 s = 10/s.
    expect(h.events.map((e) => [e.at, e.alert.value])).toEqual([[30_000, 10]]);
  });
});
