import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestMetrics, TestMetricReader } from '@otel-perf/test-utils';
import CircuitBreaker from 'opossum';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CircuitBreakerInstrumentation,
  createBreakerRecorder,
  METRIC_CIRCUIT_BREAKER_CALL_DURATION,
} from '../src/index.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';
import { callsOf, type Harness, harness, readBreaker, transitionsOf, uniqueName } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

describe('CircuitBreakerInstrumentation', () => {
  it('throws once at construction on invalid config, naming the key and the bad value', () => {
    expect(() => new CircuitBreakerInstrumentation({ slowCallThreshold: -2 })).toThrow(
      'CircuitBreakerInstrumentation: slowCallThreshold must be a positive finite number of seconds, got -2',
    );
    expect(() => new CircuitBreakerInstrumentation({ patchOpossum: 'yes' as never })).toThrow(
      'CircuitBreakerInstrumentation: patchOpossum must be a boolean, got "yes"',
    );
    expect(() => new CircuitBreakerInstrumentation({ opossumName: 'payments' as never })).toThrow(
      /opossumName must be a function/,
    );
  });

  it('records nothing while disabled and resumes on enable', async () => {
    h = harness();
    const name = uniqueName('toggle');
    const recorder = h.track(createBreakerRecorder({ name }));
    recorder.record('success', 0.01);
    h.instrumentation.disable();
    recorder.record('success', 0.01);
    recorder.setState('open');
    let r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 1 });
    expect(r.states).toEqual({}); // the batch callback is removed while disabled
    h.instrumentation.enable();
    recorder.setState('closed');
    r = await readBreaker(h.metrics, name);
    expect(r.calls).toEqual({ success: 1 });
    expect(r.transitions).toEqual({ 'open>closed': 1 });
    expect(r.states).toEqual({ closed: 1, open: 0, half_open: 0 });
  });

  it('gives two readers the same full values', async () => {
    const second = new TestMetricReader();
    const metrics = createTestMetrics({ extraReaders: [second] });
    const instrumentation = new CircuitBreakerInstrumentation({ patchOpossum: false });
    instrumentation.setMeterProvider(metrics.meterProvider);
    const name = uniqueName('readers');
    const recorder = createBreakerRecorder({ name });
    try {
      recorder.record('failure', 0.2);
      recorder.setState('open');
      const first = await metrics.collect();
      const other = await metrics.collect(second);
      for (const rm of [first, other]) {
        const calls = callsOf(
          rm.scopeMetrics[0]?.metrics.find((m) => m.descriptor.name === 'circuit_breaker.calls'),
          name,
        );
        expect(calls).toEqual({ failure: 1 });
        const transitions = transitionsOf(
          rm.scopeMetrics[0]?.metrics.find((m) => m.descriptor.name === 'circuit_breaker.transitions'),
          name,
        );
        expect(transitions).toEqual({ 'closed>open': 1 });
      }
      expect(first.scopeMetrics[0]?.scope).toMatchObject({ name: PACKAGE_NAME, version: PACKAGE_VERSION });
    } finally {
      recorder.dispose();
      instrumentation.disable();
      await metrics.shutdown();
    }
  });

  it('moves to a new MeterProvider: the old one stops receiving', async () => {
    h = harness();
    const name = uniqueName('move');
    const recorder = h.track(createBreakerRecorder({ name }));
    recorder.record('success', 0.01);
    const next = createTestMetrics();
    try {
      h.instrumentation.setMeterProvider(next.meterProvider);
      recorder.record('failure', 0.01);
      expect((await readBreaker(h.metrics, name)).calls).toEqual({ success: 1 });
      const r = await readBreaker(next, name);
      expect(r.calls).toEqual({ failure: 1 });
      expect(r.states).toEqual({ closed: 1, open: 0, half_open: 0 });
    } finally {
      await next.shutdown();
    }
  });

  it('records into every enabled instrumentation (one per MeterProvider)', async () => {
    h = harness();
    const other = harness();
    try {
      const name = uniqueName('two');
      const recorder = h.track(createBreakerRecorder({ name }));
      recorder.record('timeout', 3);
      expect((await readBreaker(h.metrics, name)).calls).toEqual({ timeout: 1 });
      expect((await readBreaker(other.metrics, name)).calls).toEqual({ timeout: 1 });
    } finally {
      await other.cleanup();
    }
  });

  it('gives the call duration histogram the circuit-breaker bucket preset', async () => {
    h = harness();
    const name = uniqueName('buckets');
    h.track(createBreakerRecorder({ name })).record('success', 0.004);
    const r = await readBreaker(h.metrics, name);
    const hist = r.rm.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === METRIC_CIRCUIT_BREAKER_CALL_DURATION);
    const point = hist?.dataPoints[0] as { value: { buckets: { boundaries: number[] } } } | undefined;
    expect(point?.value.buckets.boundaries).toEqual([
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    ]);
  });

  it('patches opossum’s class idempotently; a throwing name hook leaves the breaker working, unmeasured', async () => {
    const prefix = uniqueName('patched');
    let throwFor = '';
    h = harness({
      opossumName: (b) => {
        if (b.name === throwFor) throw new Error('hook bug');
        return b.name.startsWith(prefix) ? b.name : undefined;
      },
    });
    const definition = h.instrumentation.getModuleDefinitions()[0];
    const Patched = definition?.patch?.(CircuitBreaker) as typeof CircuitBreaker;
    expect(definition?.patch?.(CircuitBreaker)).toBe(Patched);
    expect(Patched).not.toBe(CircuitBreaker);
    expect(Patched.name).toBe('CircuitBreaker');

    const measured = new Patched(async () => 'ok', { name: `${prefix}-a` });
    throwFor = `${prefix}-b`;
    const hookThrows = new Patched(async () => 'ok', { name: `${prefix}-b` });
    const ignored = new Patched(async () => 'ok', { name: 'somebody-else' });
    h.instrumentation.disable();
    const whileDisabled = new Patched(async () => 'ok', { name: `${prefix}-c` });
    h.instrumentation.enable();
    for (const b of [measured, hookThrows, ignored, whileDisabled]) expect(await b.fire()).toBe('ok');
    expect(measured instanceof CircuitBreaker).toBe(true);
    for (const b of [measured, hookThrows, ignored, whileDisabled])
      h.track({ name: b.name, dispose: () => b.shutdown() });

    expect((await readBreaker(h.metrics, `${prefix}-a`)).calls).toEqual({ success: 1 });
    expect((await readBreaker(h.metrics, `${prefix}-b`)).calls).toEqual({});
    expect((await readBreaker(h.metrics, 'somebody-else')).calls).toEqual({});
    expect((await readBreaker(h.metrics, `${prefix}-c`)).calls).toEqual({});
  });

  it('has the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect(PACKAGE_VERSION).toBe(pkg.version);
    expect(PACKAGE_NAME).toBe(pkg.name);
  });
});
