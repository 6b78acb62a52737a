import { createTestMetrics } from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterEach, describe, expect, it } from 'vitest';
import { Dashboard } from '../src/index.js';

let shutdown: (() => Promise<void>) | undefined;
afterEach(async () => {
  await shutdown?.();
});

function setup() {
  const dashboard = new Dashboard({ intervalMs: 1000 });
  const tm = createTestMetrics({ extraReaders: [dashboard.reader as never] });
  shutdown = () => tm.shutdown();
  const meter = tm.meterProvider.getMeter('http-like');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
  });
  return { dashboard, duration, meter };
}

describe('frames from a real MeterProvider', () => {
  it('computes per-interval rate, error rate, percentiles and latency bands from cumulative histograms', async () => {
    const { dashboard, duration } = setup();
    // Interval 1: traffic that must NOT leak into interval 2's figures.
    for (let i = 0; i < 50; i++)
      duration.record(5, { 'http.route': '/slow', 'http.response.status_code': 200 });
    await dashboard.tick();
    // Interval 2: /users: 90 fast (40 ms), 10 errors at 700 ms; /slow: 2 requests at 12 s (critical).
    for (let i = 0; i < 90; i++)
      duration.record(0.04, { 'http.route': '/users/:id', 'http.response.status_code': 200 });
    for (let i = 0; i < 10; i++)
      duration.record(0.7, { 'http.route': '/users/:id', 'http.response.status_code': 503 });
    duration.record(12, { 'http.route': '/slow', 'http.response.status_code': 200 });
    duration.record(12, { 'http.route': '/slow', 'http.response.status_code': 200 });
    const frame = await dashboard.tick();
    const http = frame?.http;
    expect(http).toBeDefined();
    const users = http?.routes.find((r) => r.route === '/users/:id');
    expect(users?.bands).toEqual({ excellent: 90, good: 0, acceptable: 10, slow: 0, poor: 0, critical: 0 });
    expect(users?.errorRate).toBeCloseTo(0.1);
    // p50 interpolated inside (0.025, 0.05]; p99 inside (0.5, 0.75]
    expect(users?.p50).toBeGreaterThan(0.025);
    expect(users?.p50).toBeLessThanOrEqual(0.05);
    expect(users?.p99).toBeGreaterThan(0.5);
    expect(users?.p99).toBeLessThanOrEqual(0.75);
    const slow = http?.routes.find((r) => r.route === '/slow');
    expect(slow?.bands.critical).toBe(2);
    expect(slow?.bands.poor).toBe(0);
    expect(http?.errorRate).toBeCloseTo(10 / 102);
    // rps uses the real interval between the two collections
    expect(http?.rps).toBeCloseTo(102 / (frame?.intervalS ?? 1), 5);
    expect(http?.routes[0]?.route).toBe('/users/:id');
  });

  it('keeps the history bounded and groups absent while their metrics are', async () => {
    const dashboard = new Dashboard({ intervalMs: 1000, historySize: 3 });
    const tm = createTestMetrics({ extraReaders: [dashboard.reader as never] });
    shutdown = () => tm.shutdown();
    for (let i = 0; i < 5; i++) await dashboard.tick();
    const frames = dashboard.frames();
    expect(frames).toHaveLength(3);
    expect(frames[0]?.http).toBeUndefined();
    expect(frames[0]?.db).toBeUndefined();
  });

  it('reads pool, cache and breaker state', async () => {
    const { dashboard, meter } = setup();
    const pool = { 'db.client.connection.pool.name': 'main' };
    meter.createObservableUpDownCounter('db.client.connection.count').addCallback((o) => {
      o.observe(3, { ...pool, 'db.client.connection.state': 'used' });
      o.observe(7, { ...pool, 'db.client.connection.state': 'idle' });
    });
    meter
      .createObservableUpDownCounter('db.client.connection.pending_requests')
      .addCallback((o) => o.observe(2, pool));
    const requests = meter.createCounter('cache.gets');
    const c = { 'cache.name': 'users', 'cache.layer': 'l1' };
    requests.add(30, { ...c, 'cache.result': 'hit' });
    requests.add(10, { ...c, 'cache.result': 'miss' });
    meter.createObservableGauge('circuit_breaker.state').addCallback((o) => {
      o.observe(1, {
        'circuit_breaker.name': 'payments',
        'circuit_breaker.state': 'open',
      });
      o.observe(0, {
        'circuit_breaker.name': 'payments',
        'circuit_breaker.state': 'closed',
      });
    });
    const frame = await dashboard.tick();
    expect(frame?.db?.pools).toEqual([
      { name: 'main', used: 3, idle: 7, max: null, pending: 2, waitMean: null, timeouts: 0 },
    ]);
    expect(frame?.cache?.caches).toEqual([{ name: 'users', layer: 'l1', requests: 40, hitRatio: 0.75 }]);
    expect(frame?.breakers).toEqual([{ name: 'payments', state: 'open' }]);
  });
});
