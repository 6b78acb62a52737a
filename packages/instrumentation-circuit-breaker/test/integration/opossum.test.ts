import { diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { findMetric, histogramOf, pointsWith, waitFor } from '@otel-perf/test-utils';
import CircuitBreaker from 'opossum';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTR_CIRCUIT_BREAKER_CALL_OUTCOME,
  ATTR_CIRCUIT_BREAKER_LIBRARY,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CONFIG_CALL_TIMEOUT,
  ATTR_CONFIG_FAILURE_RATIO_THRESHOLD,
  ATTR_CONFIG_MINIMUM_CALLS,
  ATTR_CONFIG_RESET_TIMEOUT,
  ATTR_CONFIG_WINDOW_SIZE,
  ATTR_CONFIG_WINDOW_TYPE,
  CircuitBreakerInstrumentation,
  instrumentOpossum,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
  METRIC_CIRCUIT_BREAKER_CONFIG,
  METRIC_CIRCUIT_BREAKER_OPEN_TIME,
  METRIC_CIRCUIT_BREAKER_WINDOW_CALLS,
  METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO,
  METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO,
} from '../../src/index.js';
import {
  callsOf,
  type Harness,
  harness,
  readBreaker,
  statesOf,
  transitionsOf,
  uniqueName,
} from '../setup.js';
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

const isNotFound = (err: unknown) => err instanceof HttpError && err.status === 404;

function breakerOn(name: string, options: CircuitBreaker.Options = {}) {
  return new CircuitBreaker((path: string) => get(`${up.url}${path}`), { name, ...options });
}

describe('opossum on a real flaky upstream', () => {
  it('counts every call once, by outcome, with durations for the calls that ran', async () => {
    h = harness();
    const name = uniqueName('outcomes');
    // volumeThreshold keeps it closed through the failures; the 404s are filtered (ignored).
    const breaker = breakerOn(name, { timeout: 500, volumeThreshold: 1000, errorFilter: isNotFound });
    h.track(instrumentOpossum(breaker));
    const fire = (path: string) => settle(breaker.fire(path));

    for (let i = 0; i < 4; i++) await fire('/ok');
    for (let i = 0; i < 3; i++) await fire('/fail');
    for (let i = 0; i < 2; i++) await fire('/missing');
    for (let i = 0; i < 2; i++) await fire('/hang');
    breaker.fallback(() => 'from fallback');
    expect(await fire('/fail')).toEqual({ status: 'fulfilled', value: 'from fallback' });
    expect(await fire('/hang')).toEqual({ status: 'fulfilled', value: 'from fallback' });
    breaker.open();
    for (let i = 0; i < 3; i++) expect((await fire('/ok')).status).toBe('fulfilled');

    const r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 4, failure: 4, timeout: 3, ignored: 2, rejected: 3 });
    expect(r.fallbacks).toEqual({ failure: 1, timeout: 1, rejected: 3 });
    expect(r.transitions).toEqual({ 'closed>open': 1 });
    expect(r.states).toEqual({ closed: 0, open: 1, half_open: 0, disabled: 0 });
    expect(up.hits.get('/ok')).toBe(4); // the rejected calls never reached the upstream

    const duration = findMetric(r.rm, METRIC_CIRCUIT_BREAKER_CALL_DURATION);
    const of = (outcome: string) =>
      histogramOf(duration, {
        [ATTR_CIRCUIT_BREAKER_NAME]: name,
        [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME]: outcome,
      });
    expect(of('success').count).toBe(4);
    expect(of('failure').count).toBe(4);
    expect(of('ignored').count).toBe(2);
    const timeouts = of('timeout');
    expect(timeouts.count).toBe(3);
    expect(timeouts.min).toBeGreaterThanOrEqual(0.49);
    expect(duration?.descriptor.unit).toBe('s');
    expect(
      pointsWith(duration, {
        [ATTR_CIRCUIT_BREAKER_NAME]: name,
        [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME]: 'rejected',
      }),
    ).toHaveLength(0);

    const config = pointsWith<number>(findMetric(r.rm, METRIC_CIRCUIT_BREAKER_CONFIG), {
      [ATTR_CIRCUIT_BREAKER_NAME]: name,
    });
    expect(config).toHaveLength(1);
    expect(config[0]?.value).toBe(1);
    expect(config[0]?.attributes).toMatchObject({
      [ATTR_CIRCUIT_BREAKER_LIBRARY]: 'opossum',
      [ATTR_CONFIG_WINDOW_TYPE]: 'time',
      [ATTR_CONFIG_WINDOW_SIZE]: 10,
      [ATTR_CONFIG_FAILURE_RATIO_THRESHOLD]: 0.5,
      [ATTR_CONFIG_MINIMUM_CALLS]: 1000,
      [ATTR_CONFIG_RESET_TIMEOUT]: 30,
      [ATTR_CONFIG_CALL_TIMEOUT]: 0.5,
    });
  });

  it('follows closed → open → half_open → closed: gauge, transitions, window ratio, time open', async () => {
    h = harness();
    const name = uniqueName('cycle');
    const breaker = breakerOn(name, { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeout: 500 });
    h.track(instrumentOpossum(breaker));
    const fire = (path: string) => settle(breaker.fire(path));

    await fire('/ok');
    await fire('/ok');
    await fire('/fail');
    let r = await readBreaker(h.metrics, name);
    expect(r.states.closed).toBe(1);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_CALLS)).toBe(3);
    // 3 calls < volumeThreshold 4: the ratio reads 0, not the 1/3 the breaker does not act on yet.
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0);

    await fire('/fail'); // 2 of 4 = 50%: not above the threshold
    r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0.5);
    expect(r.states.closed).toBe(1);

    await fire('/fail'); // 3 of 5 = 60%: opens
    expect(breaker.opened).toBe(true);
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ closed: 0, open: 1, half_open: 0 });
    expect(r.transitions).toEqual({ 'closed>open': 1 });
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeCloseTo(0.6, 10);

    await fire('/ok');
    await fire('/ok');
    r = await readBreaker(h.metrics, name);
    expect(r.calls.rejected).toBe(2);
    // opossum counts rejected calls as fires: 3 failures of 7.
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeCloseTo(3 / 7, 10);

    await waitFor(() => breaker.halfOpen, { what: 'half-open after resetTimeout' });
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ closed: 0, open: 0, half_open: 1 });
    expect(r.transitions).toEqual({ 'closed>open': 1, 'open>half_open': 1 });
    const openTime = r.value(METRIC_CIRCUIT_BREAKER_OPEN_TIME) ?? 0;
    expect(openTime).toBeGreaterThanOrEqual(0.49);
    expect(openTime).toBeLessThan(5);

    expect(await fire('/ok')).toEqual({ status: 'fulfilled', value: 'ok' });
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ closed: 1, open: 0, half_open: 0 });
    expect(r.transitions).toEqual({ 'closed>open': 1, 'open>half_open': 1, 'half_open>closed': 1 });
    expect(r.calls).toEqual({ success: 3, failure: 3, rejected: 2 });
    // Time open stops growing once closed.
    expect(r.value(METRIC_CIRCUIT_BREAKER_OPEN_TIME)).toBe(openTime);
  });

  it('shows a sub-second OPEN to a reader that exports every 5 s, through the transitions counter', async () => {
    h = harness(); // keeps afterEach uniform; this test uses its own provider below
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 5000 });
    const provider = new MeterProvider({ readers: [reader] });
    const instrumentation = new CircuitBreakerInstrumentation({ patchOpossum: false });
    instrumentation.setMeterProvider(provider);
    try {
      const name = uniqueName('blink');
      const breaker = breakerOn(name, { volumeThreshold: 1, resetTimeout: 100 });
      h.track(instrumentOpossum(breaker));
      const openedAt = performance.now();
      await settle(breaker.fire('/fail'));
      expect(breaker.opened).toBe(true);
      await waitFor(() => breaker.halfOpen, { what: 'half-open' });
      await breaker.fire('/ok');
      expect(breaker.closed).toBe(true);
      expect(performance.now() - openedAt).toBeLessThan(1000);
      expect(exporter.getMetrics()).toHaveLength(0); // nothing exported while it was open

      await waitFor(() => exporter.getMetrics().length > 0, { timeoutMs: 8000, what: 'the 5 s export' });
      const exported = exporter.getMetrics();
      expect(exported).toHaveLength(1);
      const rm = exported[0] as (typeof exported)[number];
      // The sampled gauge missed the OPEN...
      expect(statesOf(findMetric(rm, 'circuit_breaker.state'), name)).toMatchObject({ closed: 1, open: 0 });
      // ...the transitions counter did not.
      expect(transitionsOf(findMetric(rm, 'circuit_breaker.transitions'), name)).toEqual({
        'closed>open': 1,
        'open>half_open': 1,
        'half_open>closed': 1,
      });
      expect(callsOf(findMetric(rm, 'circuit_breaker.calls'), name)).toEqual({ failure: 1, success: 1 });
    } finally {
      instrumentation.disable();
      await provider.shutdown();
    }
  });

  it('keeps two breakers apart', async () => {
    h = harness();
    const a = uniqueName('a');
    const b = uniqueName('b');
    const breakerA = breakerOn(a, { volumeThreshold: 2, resetTimeout: 60_000 });
    const breakerB = breakerOn(b, { volumeThreshold: 2, resetTimeout: 60_000 });
    h.track(instrumentOpossum(breakerA));
    h.track(instrumentOpossum(breakerB));
    for (let i = 0; i < 3; i++) await settle(breakerA.fire('/fail'));
    for (let i = 0; i < 5; i++) await settle(breakerB.fire('/ok'));

    const ra = await readBreaker(h.metrics, a);
    const rb = await readBreaker(h.metrics, b);
    expect(ra.calls).toEqual({ failure: 2, rejected: 1 });
    expect(rb.calls).toEqual({ success: 5 });
    expect(ra.states).toMatchObject({ open: 1, closed: 0 });
    expect(rb.states).toMatchObject({ open: 0, closed: 1 });
    expect(ra.transitions).toEqual({ 'closed>open': 1 });
    expect(rb.transitions).toEqual({});
    expect(ra.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBeCloseTo(2 / 3, 10);
    expect(rb.value(METRIC_CIRCUIT_BREAKER_WINDOW_FAILURE_RATIO)).toBe(0);
  });

  it('publishes the slow-call ratio over a window shaped like the breaker’s', async () => {
    h = harness();
    const name = uniqueName('slow');
    const breaker = breakerOn(name, { timeout: 2000, volumeThreshold: 4 });
    h.track(instrumentOpossum(breaker, { slowCallThreshold: 0.3 }));
    await breaker.fire('/ok');
    await breaker.fire('/slow?ms=400');
    await breaker.fire('/ok');
    let r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0); // 3 calls < minimum 4
    await breaker.fire('/slow?ms=400');
    r = await readBreaker(h.metrics, name);
    expect(r.value(METRIC_CIRCUIT_BREAKER_WINDOW_SLOW_CALL_RATIO)).toBe(0.5);
  });

  it('reports disable() and enable(), which opossum announces with no event', async () => {
    h = harness();
    const name = uniqueName('disable');
    const breaker = breakerOn(name);
    h.track(instrumentOpossum(breaker));
    breaker.disable();
    let r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ disabled: 1, closed: 0 });
    breaker.enable();
    r = await readBreaker(h.metrics, name);
    expect(r.states).toMatchObject({ disabled: 0, closed: 1 });
    expect(r.transitions).toEqual({ 'closed>disabled': 1, 'disabled>closed': 1 });
  });

  it('stops reporting a breaker after shutdown() and after dispose(), leaving it as it was', async () => {
    h = harness();
    const name = uniqueName('gone');
    const breaker = breakerOn(name);
    const options = (breaker as unknown as { options: { errorFilter: unknown } }).options;
    const filter = options.errorFilter;
    const handle = instrumentOpossum(breaker);
    expect(instrumentOpossum(breaker)).toBe(handle); // idempotent
    expect(options.errorFilter).not.toBe(filter);
    await breaker.fire('/ok');
    handle.dispose();
    expect(options.errorFilter).toBe(filter);
    expect(Object.hasOwn(breaker, 'disable')).toBe(false);
    expect(breaker.listenerCount('success')).toBe(2); // opossum's own two listeners
    await breaker.fire('/ok');
    let r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 1 }); // the call after dispose() is not counted
    expect(r.states).toEqual({ closed: 0, open: 0, half_open: 0, disabled: 0 });

    const other = uniqueName('shutdown');
    const second = breakerOn(other);
    h.track(instrumentOpossum(second));
    await second.fire('/ok');
    r = await readBreaker(h.metrics, other);
    expect(r.states.closed).toBe(1);
    second.shutdown();
    r = await readBreaker(h.metrics, other);
    // Gone: its states read 0 (the SDK would otherwise keep exporting the last `closed: 1`).
    expect(r.states).toEqual({ closed: 0, open: 0, half_open: 0, disabled: 0 });
    expect(r.calls).toEqual({ success: 1 });
  });
});

describe('opossum callers see exactly what they saw without instrumentation', () => {
  /** One scripted run: failures, an ignored 404, a timeout, a fallback, rejections while open, half-open. */
  async function script(breaker: CircuitBreaker<[string], string>, key: string): Promise<Settled[]> {
    const out: Settled[] = [];
    const fire = async (path: string) => out.push(await settle(breaker.fire(path)));
    await fire('/ok');
    await fire('/missing');
    for (let i = 0; i < 6; i++) await fire(`/flaky?key=${key}&n=2&m=3`);
    await fire('/hang');
    breaker.fallback((_path: string, err?: Error) => `fallback after ${err?.message}`);
    await fire('/fail');
    await fire('/fail');
    await fire('/ok');
    await waitFor(() => breaker.halfOpen, { what: 'half-open' });
    await fire('/ok');
    await fire('/ok');
    return out;
  }

  const options = (name: string): CircuitBreaker.Options<[string]> => ({
    name,
    timeout: 1000,
    resetTimeout: 500,
    volumeThreshold: 8,
    errorThresholdPercentage: 40,
    errorFilter: isNotFound,
  });

  it('with a working metrics pipeline', async () => {
    h = harness();
    const key = uniqueName('same');
    const plain = new CircuitBreaker((path: string) => get(`${up.url}${path}`), options(`${key}-plain`));
    const measured = new CircuitBreaker(
      (path: string) => get(`${up.url}${path}`),
      options(`${key}-measured`),
    );
    h.track(instrumentOpossum(measured));
    const expected = await script(plain, `${key}-plain`);
    const actual = await script(measured, `${key}-measured`);
    expect(actual).toEqual(expected);
    // The run did exercise every path.
    const kinds = new Set(
      expected.map((s) => (s.status === 'fulfilled' ? 'value' : s.name + String(s.code))),
    );
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    const r = await readBreaker(h.metrics, `${key}-measured`);
    expect(Object.keys(r.calls).sort()).toEqual(['failure', 'ignored', 'rejected', 'success', 'timeout']);
  });

  it('with a metrics pipeline whose every instrument throws', async () => {
    h = harness();
    const throwing = {
      add() {
        throw new Error('broken counter');
      },
      record() {
        throw new Error('broken histogram');
      },
      addCallback() {},
      removeCallback() {},
    };
    const brokenProvider = {
      getMeter: () => ({
        createCounter: () => throwing,
        createUpDownCounter: () => throwing,
        createHistogram: () => throwing,
        createGauge: () => throwing,
        createObservableCounter: () => throwing,
        createObservableUpDownCounter: () => throwing,
        createObservableGauge: () => throwing,
        addBatchObservableCallback() {},
        removeBatchObservableCallback() {},
      }),
    };
    const broken = new CircuitBreakerInstrumentation({ patchOpossum: false });
    broken.setMeterProvider(brokenProvider as never);
    const errors: unknown[] = [];
    diag.setLogger(
      { error: (...a: unknown[]) => errors.push(a), warn() {}, info() {}, debug() {}, verbose() {} },
      { suppressOverrideMessage: true },
    );
    try {
      const key = uniqueName('broken');
      const plain = new CircuitBreaker((path: string) => get(`${up.url}${path}`), options(`${key}-plain`));
      const measured = new CircuitBreaker(
        (path: string) => get(`${up.url}${path}`),
        options(`${key}-measured`),
      );
      h.track(instrumentOpossum(measured));
      const expected = await script(plain, `${key}-plain`);
      const actual = await script(measured, `${key}-measured`);
      expect(actual).toEqual(expected);
      expect(errors.length).toBeGreaterThan(0); // the failures went to diag
    } finally {
      broken.disable();
      diag.disable();
    }
  });

  it('calls errorFilter with the same this, arguments and result', async () => {
    h = harness();
    const seen: { plain: unknown[]; measured: unknown[] } = { plain: [], measured: [] };
    const filterFor = (into: unknown[]) =>
      function (this: unknown, err: unknown, ...args: unknown[]) {
        into.push(this === undefined ? 'undefined this' : typeof this, (err as Error).message, ...args);
        return isNotFound(err);
      };
    const name = uniqueName('filter');
    const plain = breakerOn(`${name}-plain`, { errorFilter: filterFor(seen.plain) });
    const measured = breakerOn(`${name}-measured`, { errorFilter: filterFor(seen.measured) });
    h.track(instrumentOpossum(measured));
    const runs = async (b: CircuitBreaker<[string], string>) => [
      await settle(b.fire('/missing')),
      await settle(b.fire('/fail')),
    ];
    expect(await runs(measured)).toEqual(await runs(plain));
    expect(seen.measured).toEqual(seen.plain);
    expect(seen.plain).toContain('/missing');
    expect((await readBreaker(h.metrics, `${name}-measured`)).calls).toEqual({ ignored: 1, failure: 1 });
  });
});
