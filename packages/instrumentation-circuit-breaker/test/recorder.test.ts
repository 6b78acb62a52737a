import { findMetric, histogramOf, pointsWith, waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTR_CIRCUIT_BREAKER_CALL_OUTCOME,
  ATTR_CIRCUIT_BREAKER_LIBRARY,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
  type BreakerRecorder,
  createBreakerRecorder,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_CONFIG,
  METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
  METRIC_CIRCUIT_BREAKER_OPEN_TIME,
  METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
  METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
  METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
} from '../src/index.js';
import { type Harness, harness, readBreaker, uniqueName } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

/** A small home-made breaker: opens after `threshold` failures in a row, half-opens after `resetMs`. */
class HomeMadeBreaker {
  private failures = 0;
  openedAt = 0;
  constructor(
    private readonly recorder: BreakerRecorder,
    private readonly threshold: number,
    private readonly resetMs: number,
  ) {}
  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.recorder.state === 'open') {
      if (performance.now() - this.openedAt < this.resetMs) {
        this.recorder.record('rejected');
        throw new Error('open');
      }
      this.recorder.setState('half_open');
    }
    const start = performance.now();
    try {
      const v = await fn();
      this.recorder.record('success', (performance.now() - start) / 1000);
      this.failures = 0;
      if (this.recorder.state === 'half_open') this.recorder.setState('closed');
      return v;
    } catch (err) {
      this.recorder.record('failure', (performance.now() - start) / 1000);
      if (++this.failures >= this.threshold || this.recorder.state === 'half_open') {
        this.openedAt = performance.now();
        this.recorder.setState('open');
      }
      throw err;
    }
  }
}

describe('createBreakerRecorder', () => {
  it('measures a home-made breaker through closed → open → half_open → closed', async () => {
    h = harness();
    const name = uniqueName('home');
    const recorder = h.track(
      createBreakerRecorder({
        name,
        window: { type: 'count', size: 10 },
        minimumCalls: 4,
        config: { failureRatioThreshold: 0.5, resetTimeout: 0.3 },
      }),
    );
    const breaker = new HomeMadeBreaker(recorder, 2, 300);
    const ok = () => breaker.call(async () => 'ok');
    const fail = () =>
      breaker.call(async () => {
        throw new Error('boom');
      });
    await ok();
    await fail().catch(() => {});
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(2);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0); // below minimumCalls
    await fail().catch(() => {});
    await ok().catch(() => {}); // rejected
    r = await readBreaker(h.metrics, name);
    expect(r.states).toEqual({ closed: 0, open: 1, half_open: 0 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(3); // rejected calls are not in the window
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0); // still 3 < 4
    await waitFor(() => performance.now() - breaker.openedAt >= 300, { what: 'the reset timeout' });
    await ok();
    await ok();
    await fail().catch(() => {});
    r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 3, failure: 3, rejected: 1 });
    expect(r.transitions).toEqual({ 'closed>open': 1, 'open>half_open': 1, 'half_open>closed': 1 });
    expect(r.states).toEqual({ closed: 1, open: 0, half_open: 0 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0.5);
    expect(r.value(METRIC_CIRCUIT_BREAKER_OPEN_TIME)).toBeGreaterThanOrEqual(0.29);
    const d = histogramOf(findMetric(r.rm, METRIC_CIRCUIT_BREAKER_CALL_DURATION), {
      [ATTR_CIRCUIT_BREAKER_NAME]: name,
      [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME]: 'success',
    });
    expect(d.count).toBe(3);
    const config = pointsWith(findMetric(r.rm, METRIC_CIRCUIT_BREAKER_CONFIG), {
      [ATTR_CIRCUIT_BREAKER_NAME]: name,
    });
    expect(config[0]?.attributes).toEqual({
      [ATTR_CIRCUIT_BREAKER_NAME]: name,
      [ATTR_CIRCUIT_BREAKER_LIBRARY]: 'custom',
      [ATTR_CONFIG_WINDOW_TYPE]: 'count',
      [ATTR_CONFIG_WINDOW_SIZE]: 10,
      [ATTR_CONFIG_MINIMUM_CALLS]: 4,
      [ATTR_CONFIG_FAILURE_RATIO_THRESHOLD]: 0.5,
      [ATTR_CONFIG_RESET_TIMEOUT]: 0.3,
    });
  });

  it('reads the breaker’s own window when given a function, and counts fallbacks', async () => {
    h = harness();
    const name = uniqueName('snapshot');
    let window = { calls: 0, failures: 0, slowCalls: 0, consecutiveFailures: 0 };
    const recorder = h.track(createBreakerRecorder({ name, window: () => window, minimumCalls: 5 }));
    window = { calls: 4, failures: 4, slowCalls: 1, consecutiveFailures: 4 };
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0);
    expect(r.value(METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES)).toBe(4);
    window = { calls: 10, failures: 3, slowCalls: 2, consecutiveFailures: 0 };
    recorder.fallback('rejected');
    recorder.fallback('timeout');
    recorder.fallback('rejected');
    r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(10);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0.3);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0.2);
    expect(r.fallbacks).toEqual({ rejected: 2, timeout: 1 });
  });

  it('adds two breakers of the same name, and keeps different names apart', async () => {
    h = harness();
    const name = uniqueName('shared');
    const other = uniqueName('other');
    const a = h.track(createBreakerRecorder({ name, window: { type: 'count', size: 10 } }));
    const b = h.track(createBreakerRecorder({ name, window: { type: 'count', size: 10 } }));
    const c = h.track(createBreakerRecorder({ name: other }));
    a.record('success', 0.01);
    a.record('failure', 0.01);
    b.record('failure', 0.01);
    b.record('failure', 0.01);
    b.setState('open');
    c.record('timeout', 1);
    const r = await readBreaker(h.metrics, name);
    expect(r.states).toEqual({ closed: 1, open: 1, half_open: 0 });
    expect(r.calls).toEqual({ success: 1, failure: 3 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(4);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0.75);
    const rc = await readBreaker(h.metrics, other);
    expect(rc.calls).toEqual({ timeout: 1 });
    expect(rc.states).toEqual({ closed: 1, open: 0, half_open: 0 });
  });

  it('drops bad measurements with a warning and throws on bad options, naming the key', () => {
    h = harness();
    const recorder = h.track(createBreakerRecorder({ name: uniqueName('bad') }));
    expect(() => recorder.record('exploded' as never, 1)).not.toThrow();
    expect(() => recorder.setState('melted' as never)).not.toThrow();
    expect(recorder.state).toBe('closed');
    expect(() => createBreakerRecorder({ name: '' })).toThrow(
      'createBreakerRecorder: options.name must be a non-empty string, got ""',
    );
    expect(() => createBreakerRecorder({ name: 'x', window: { type: 'count', size: 0 } })).toThrow(
      'createBreakerRecorder: options.window.size must be a positive integer, got 0',
    );
    expect(() => createBreakerRecorder({ name: 'x', states: ['closed', 'ajar' as never] })).toThrow(
      /options\.states\[1\] must be one of closed, open, half_open, forced_open, disabled, got "ajar"/,
    );
    expect(() => createBreakerRecorder({ name: 'x', slowCallThreshold: 0 })).toThrow(
      'createBreakerRecorder: options.slowCallThreshold must be a positive finite number of seconds, got 0',
    );
    expect(() => createBreakerRecorder({ name: 'x', config: { failureRatioThreshold: 50 } })).toThrow(
      /failureRatioThreshold must be a number from 0 to 1, got 50/,
    );
  });

  it('makes an untrusted name a safe attribute value', async () => {
    h = harness();
    const raw = `${uniqueName('ctl')}\n${'x'.repeat(400)}`;
    h.track(createBreakerRecorder({ name: raw })).record('success', 0.001);
    const rm = await h.metrics.collect();
    const names = pointsWith(findMetric(rm, 'circuit_breaker.calls')).map((p) =>
      String(p.attributes[ATTR_CIRCUIT_BREAKER_NAME]),
    );
    const mine = names.find((n) => n.startsWith(raw.slice(0, 10)));
    expect(mine).toBeDefined();
    expect(mine).not.toContain('\n');
    expect(mine?.length).toBeLessThanOrEqual(256);
  });
});
