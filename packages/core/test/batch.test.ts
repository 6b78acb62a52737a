import type { BatchObservableCallback } from '@opentelemetry/api';
import { createTestMetrics, type TestMetrics } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type BatchInstruments, BatchRegistration } from '../src/index.js';

let metrics: TestMetrics;
afterEach(async () => metrics?.shutdown());

/** Batch callbacks run during the last collection, by sink. */
let ran: string[] = [];
function instruments(sink: string): BatchInstruments<string> {
  const meter = metrics.meterProvider.getMeter('batch-test');
  const gauge = meter.createObservableGauge(`test.${sink}`);
  const callback: BatchObservableCallback = (result) => {
    ran.push(sink);
    result.observe(gauge, 1);
  };
  return { meter, sink, observables: [gauge], callback };
}
/** The sinks whose callback a collection runs. */
async function collected(): Promise<string[]> {
  ran = [];
  await metrics.collect();
  return ran;
}

describe('BatchRegistration', () => {
  it('registers once, unregisters once, and re-registers replacements only when it was registered', async () => {
    metrics = createTestMetrics();
    const sinks = new Set<string>();
    const batch = new BatchRegistration(() => sinks);
    batch.register(); // nothing to register yet
    expect(sinks.size).toBe(0);

    batch.replace(instruments('a'), false);
    expect(batch.instruments?.sink).toBe('a');
    expect([...sinks]).toEqual([]);
    expect(await collected()).toEqual([]);

    batch.register();
    batch.register();
    expect([...sinks]).toEqual(['a']);
    expect(await collected()).toEqual(['a']);

    batch.replace(instruments('b'), false); // was registered: stays registered, with the new ones
    expect([...sinks]).toEqual(['b']);
    expect(await collected()).toEqual(['b']);

    batch.unregister();
    batch.unregister();
    expect([...sinks]).toEqual([]);
    expect(await collected()).toEqual([]);

    batch.replace(instruments('c'), true); // not registered, but enabled
    expect([...sinks]).toEqual(['c']);
    expect(await collected()).toEqual(['c']);
  });
});
