import { DiagLogLevel, diag, type Histogram } from '@opentelemetry/api';
import { LRUCache } from 'lru-cache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCacheRecorder, createTieredCache, instrumentLruCache } from '../src/index.js';
import { registry, type Sink } from '../src/registry.js';
import { type Harness, harness, uniqueName } from './setup.js';

let h: Harness;
const errors: unknown[][] = [];
const throwing = {
  record() {
    throw new Error('histogram broke');
  },
} as unknown as Histogram;
const broken: Sink = { duration: throwing, payload: throwing, compression: throwing, loadDuration: throwing };

beforeEach(() => {
  h = harness();
  errors.length = 0;
  diag.setLogger(
    { error: (...a) => errors.push(a), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
    DiagLogLevel.ERROR,
  );
  registry().sinks.add(broken);
});
afterEach(async () => {
  registry().sinks.delete(broken);
  diag.disable();
  await h.cleanup();
});

describe('never breaks the host app', () => {
  it('a histogram that throws reaches diag, not the caller, and collection still works', async () => {
    const name = uniqueName('safety');
    const l1 = instrumentLruCache(new LRUCache<string, string>({ max: 10 }), { name, sampleEvery: 1 });
    const cache = createTieredCache<string>({
      name: `${name}-t`,
      l1: new LRUCache({ max: 10 }),
      load: async (k) => k,
    });
    l1.set('a', 'x');
    expect(l1.get('a')).toBe('x');
    expect(await cache.get('k')).toBe('k');
    createCacheRecorder({ name }).duration('get', 0.001);
    const r = await h.read(name);
    expect(r.gets('l1').hit).toBe(1);
    expect(r.timed('l1', 'get')).toBe(2); // the working instrumentation still got the samples
    expect(errors.length).toBeGreaterThan(0);
    expect(String(errors[0]?.[0])).toMatch(/recording a cache histogram failed/);
  });
});
