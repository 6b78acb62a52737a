import { findMetric, pointsWith, waitFor } from '@otel-perf/test-utils';
import {
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  circuitBreaker,
  fallback,
  handleAll,
  handleWhen,
  SamplingBreaker,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_CIRCUIT_BREAKER_LIBRARY,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_SLOW_CALL_THRESHOLD,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
  instrumentCockatiel,
  METRIC_CIRCUIT_BREAKER_CONFIG,
  METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES,
  METRIC_CIRCUIT_BREAKER_OPEN_TIME,
  METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
  METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
  METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
} from '../../src/index.js';
import { type Harness, harness, readBreaker, uniqueName } from '../setup.js';
import { get, HttpError, type Settled, settle, startUpstream, type Upstream } from '../upstream.js';

let up: Upstream;
let h: Harness;
beforeAll(async () => {
  up = await startUpstream();
});
afterAll(async () => {
  await up.close();
});
afterEach(async () => {
  await h?.cleanup();
});

/** The errors the policy handles: everything but a 404 (which becomes `ignored`). */
const handled = () => handleWhen((err) => !(err instanceof HttpError && err.status === 404));

function configOf(rm: Awaited<ReturnType<typeof readBreaker>>['rm'], name: string) {
  const pts = pointsWith<number>(findMetric(rm, METRIC_CIRCUIT_BREAKER_CONFIG), {
    [ATTR_CIRCUIT_BREAKER_NAME]: name,
  });
  expect(pts).toHaveLength(1);
  return pts[0]?.attributes;
}

describe('cockatiel on a real flaky upstream', () => {
  it('counts outcomes (rejections included), every transition, forced open, and consecutive failures', async () => {
    h = harness();
    const name = uniqueName('consecutive');
    const breaker = circuitBreaker(handled(), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) });
    h.track(instrumentCockatiel(breaker, { name }));
    let openedAt = 0;
    breaker.onBreak(() => {
      openedAt = Date.now();
    });
    // The breaker outside, the timeout inside: the breaker sees the timeout as a handled failure.
    const policy = wrap(breaker, timeout(500, TimeoutStrategy.Aggressive));
    const call = (path: string) => settle(policy.execute(({ signal }) => get(`${up.url}${path}`, signal)));

    for (let i = 0; i < 3; i++) await call('/ok');
    for (let i = 0; i < 2; i++) await call('/missing');
    await call('/fail');
    await call('/fail');
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES)).toBe(2);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeUndefined(); // no ratio window

    await call('/hang'); // third failure in a row: opens
    expect(breaker.state).toBe(CircuitState.Open);
    const broken = await call('/ok');
    await call('/ok');
    expect(broken).toMatchObject({ status: 'rejected', type: 'BrokenCircuitError' });
    r = await readBreaker(h.metrics, name);
    expect(r.states).toEqual({ closed: 0, open: 1, half_open: 0, forced_open: 0 });

    const isolation = breaker.isolate();
    expect(await call('/ok')).toMatchObject({ status: 'rejected', type: 'IsolatedCircuitError' });
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ open: 0, forced_open: 1 });
    isolation.dispose();
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ closed: 1, forced_open: 0 });

    await call('/ok'); // resets the consecutive count
    for (let i = 0; i < 3; i++) await call('/fail'); // opens again
    const openTime = r.value(METRIC_CIRCUIT_BREAKER_OPEN_TIME) ?? 0;
    // cockatiel moves to half-open lazily, on the first call after halfOpenAfter (measured with Date.now()).
    await waitFor(() => Date.now() - openedAt > 1000, { what: 'halfOpenAfter to pass' });
    expect(await call('/ok')).toEqual({ status: 'fulfilled', value: 'ok' }); // the half-open trial closes it

    r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 5, ignored: 2, failure: 5, timeout: 1, rejected: 3 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_OPEN_TIME)).toBeGreaterThanOrEqual(openTime + 0.99);
    expect(r.transitions).toEqual({
      'closed>open': 2,
      'open>forced_open': 1,
      'forced_open>closed': 1,
      'open>half_open': 1,
      'half_open>closed': 1,
    });
    expect(r.states).toEqual({ closed: 1, open: 0, half_open: 0, forced_open: 0 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_CONSECUTIVE_FAILURES)).toBe(0);
    expect(up.hits.get('/ok')).toBe(5); // rejected calls never reached the upstream
    expect(configOf(r.rm, name)).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_LIBRARY]: 'cockatiel',
      [ATTR_CONFIG_WINDOW_TYPE]: 'consecutive',
      [ATTR_CONFIG_CONSECUTIVE_FAILURES_THRESHOLD]: 3,
      [ATTR_CONFIG_RESET_TIMEOUT]: 1,
    });
  });

  it('reads a CountBreaker window: ratio 0 until the minimum calls, then the ratio it opens on', async () => {
    h = harness();
    const name = uniqueName('count');
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: 60_000,
      breaker: new CountBreaker({ threshold: 0.5, size: 10, minimumNumberOfCalls: 4 }),
    });
    h.track(instrumentCockatiel(breaker, { name, slowCallThreshold: 0.3 }));
    const call = (path: string) => settle(breaker.execute(({ signal }) => get(`${up.url}${path}`, signal)));

    await call('/ok');
    await call('/slow?ms=400');
    await call('/fail');
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(3);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0);

    await call('/fail'); // 2 of 4: not above 0.5
    r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0.5);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0.25);
    expect(r.states.closed).toBe(1);

    await call('/fail'); // 3 of 5: opens
    r = await readBreaker(h.metrics, name);
    expect(r.states.open).toBe(1);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeCloseTo(0.6, 10);
    expect(r.transitions).toEqual({ 'closed>open': 1 });
    expect(configOf(r.rm, name)).toMatchObject({
      [ATTR_CONFIG_WINDOW_TYPE]: 'count',
      [ATTR_CONFIG_WINDOW_SIZE]: 10,
      [ATTR_CONFIG_FAILURE_RATIO_THRESHOLD]: 0.5,
      [ATTR_CONFIG_MINIMUM_CALLS]: 4,
      [ATTR_CONFIG_RESET_TIMEOUT]: 60,
      [ATTR_CONFIG_SLOW_CALL_THRESHOLD]: 0.3,
    });
  });

  it('reads a SamplingBreaker window by time', async () => {
    h = harness();
    const name = uniqueName('sampling');
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: 60_000,
      breaker: new SamplingBreaker({ threshold: 0.9, duration: 5000, minimumRps: 1 }),
    });
    h.track(instrumentCockatiel(breaker, { name }));
    const call = (path: string) => settle(breaker.execute(({ signal }) => get(`${up.url}${path}`, signal)));
    for (let i = 0; i < 3; i++) await call('/ok');
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(3);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0); // minimum is 5 calls (1 rps over 5 s)
    for (let i = 0; i < 2; i++) await call('/fail');
    r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(5);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeCloseTo(0.4, 10);
    expect(configOf(r.rm, name)).toMatchObject({
      [ATTR_CONFIG_WINDOW_TYPE]: 'time',
      [ATTR_CONFIG_WINDOW_SIZE]: 5,
      [ATTR_CONFIG_MINIMUM_CALLS]: 5,
      [ATTR_CONFIG_FAILURE_RATIO_THRESHOLD]: 0.9,
    });
  });

  it('counts the fallbacks of a FallbackPolicy around the breaker, by the outcome they answered', async () => {
    h = harness();
    const name = uniqueName('fallback');
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(2) });
    const fb = fallback(handleAll, () => 'fallback value');
    h.track(instrumentCockatiel(breaker, { name, fallback: fb }));
    const policy = wrap(fb, breaker, timeout(500, TimeoutStrategy.Aggressive));
    const call = (path: string) => settle(policy.execute(({ signal }) => get(`${up.url}${path}`, signal)));
    expect(await call('/fail')).toEqual({ status: 'fulfilled', value: 'fallback value' });
    expect(await call('/hang')).toEqual({ status: 'fulfilled', value: 'fallback value' });
    expect(await call('/ok')).toEqual({ status: 'fulfilled', value: 'fallback value' }); // open: rejected
    const r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ failure: 1, timeout: 1, rejected: 1 });
    expect(r.fallbacks).toEqual({ failure: 1, timeout: 1, rejected: 1 });
  });

  it('counts a half-open rejection once, even when cockatiel re-enters execute()', async () => {
    h = harness();
    const name = uniqueName('reenter');
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 300, breaker: new ConsecutiveBreaker(1) });
    h.track(instrumentCockatiel(breaker, { name }));
    let openedAt = 0;
    breaker.onBreak(() => {
      openedAt = Date.now();
    });
    // cockatiel moves to half-open lazily, on the first call after halfOpenAfter (measured with Date.now()).
    const halfOpenDue = () => waitFor(() => Date.now() - openedAt > 300, { what: 'halfOpenAfter to pass' });
    const call = (path: string) => settle(breaker.execute(({ signal }) => get(`${up.url}${path}`, signal)));
    await call('/fail');
    expect(breaker.state).toBe(CircuitState.Open);
    await halfOpenDue();
    // The first call is the half-open trial; the other two wait for its verdict, then run execute() again
    // and are rejected because the trial failed.
    const results = await Promise.all([call('/slow?ms=50'), call('/ok'), call('/ok')]);
    expect(results.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ failure: 1, success: 3 });
    expect(r.transitions).toEqual({ 'closed>open': 1, 'open>half_open': 1, 'half_open>closed': 1 });

    await call('/fail');
    await halfOpenDue();
    const second = await Promise.all([call('/fail'), call('/ok'), call('/ok')]);
    expect(second.map((s) => (s.status === 'rejected' ? s.type : 'ok'))).toEqual([
      'HttpError',
      'BrokenCircuitError',
      'BrokenCircuitError',
    ]);
    const r2 = await readBreaker(h.metrics, name);
    expect(r2.calls).toEqual({ failure: 3, success: 3, rejected: 2 });
  });

  it('restores the policy on dispose() and rejects what is not a cockatiel breaker', async () => {
    h = harness();
    const name = uniqueName('dispose');
    const breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
    const handle = instrumentCockatiel(breaker, { name });
    expect(instrumentCockatiel(breaker, { name })).toBe(handle);
    expect(Object.hasOwn(breaker, 'execute')).toBe(true);
    handle.dispose();
    expect(Object.hasOwn(breaker, 'execute')).toBe(false);
    expect(breaker.execute).toBe(CircuitBreakerPolicy.prototype.execute);
    expect(() => instrumentCockatiel({} as never, { name })).toThrow(
      /instrumentCockatiel: policy must be a cockatiel CircuitBreakerPolicy, got \[object Object\]/,
    );
    expect(() => instrumentCockatiel(breaker, { name: '' })).toThrow(
      /instrumentCockatiel: options\.name must be a non-empty string, got ""/,
    );
    expect(() => instrumentCockatiel(breaker, { name, slowCallThreshold: -1 })).toThrow(/slowCallThreshold/);
  });
});

describe('cockatiel callers see exactly what they saw without instrumentation', () => {
  async function script(key: string, measured: boolean): Promise<Settled[]> {
    const breaker = circuitBreaker(handled(), { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) });
    if (measured) h.track(instrumentCockatiel(breaker, { name: key }));
    const policy = wrap(breaker, timeout(500, TimeoutStrategy.Aggressive));
    const out: Settled[] = [];
    const call = async (path: string) =>
      out.push(await settle(policy.execute(({ signal }) => get(`${up.url}${path}`, signal))));
    await call('/ok');
    await call('/missing');
    for (let i = 0; i < 6; i++) await call(`/flaky?key=${key}&n=2&m=3`);
    await call('/hang');
    await call('/fail');
    await call('/fail');
    await call('/ok');
    const iso = breaker.isolate();
    await call('/ok');
    iso.dispose();
    await call('/ok');
    return out;
  }

  it('returns the same values and errors', async () => {
    h = harness();
    const key = uniqueName('same');
    const expected = await script(`${key}-plain`, false);
    const actual = await script(`${key}-measured`, true);
    expect(actual.map((s) => JSON.stringify(s).replaceAll(`${key}-measured`, 'K'))).toEqual(
      expected.map((s) => JSON.stringify(s).replaceAll(`${key}-plain`, 'K')),
    );
    const r = await readBreaker(h.metrics, `${key}-measured`);
    expect(Object.keys(r.calls).sort()).toEqual(['failure', 'ignored', 'rejected', 'success', 'timeout']);
  });
});
