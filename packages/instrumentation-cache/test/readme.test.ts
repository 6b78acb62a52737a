import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAttributesTable, expectMetricsTable, readReadme, valuesOf } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { CACHE_METRICS } from '../src/semconv.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';

const readme = readReadme(join(import.meta.dirname, '..', 'README.md'));

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with instrument, unit and attributes', () => {
    expectMetricsTable(readme, CACHE_METRICS);
  });

  it('documents every exported attribute and every value of the enumerated ones', () => {
    const rows = expectAttributesTable(readme, api);
    const values = (attr: string) => valuesOf(rows, attr);
    expect(values('cache.result')).toEqual([...api.CACHE_RESULTS]);
    expect(values('cache.eviction.cause')).toEqual([...api.EVICTION_CAUSES]);
    expect(values('cache.operation').slice(0, 3)).toEqual([...api.CACHE_OPERATIONS]);
    expect(values('cache.path')).toEqual([...api.CACHE_PATHS]);
    expect(values('cache.served_by')).toEqual([...api.CACHE_SERVED_BY]);
    expect(values('cache.load.result')).toEqual([...api.LOAD_RESULTS]);
    expect(values('error.type')).toEqual([...api.ERROR_TYPES]);
  });

  it('uses the Prometheus names the distro serves in its PromQL', () => {
    const promql = [...readme.text.matchAll(/```promql\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .join('\n');
    const names = new Set([...promql.matchAll(/\b(cache_[a-z_]+?)(?:\{|\[)/g)].map((m) => m[1]));
    expect([...names].sort()).toEqual([
      'cache_gets_total',
      'cache_operation_duration_seconds_bucket',
      'cache_requests_total',
    ]);
  });

  it('keeps the scope version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect([PACKAGE_NAME, PACKAGE_VERSION]).toEqual([pkg.name, pkg.version]);
  });
});
