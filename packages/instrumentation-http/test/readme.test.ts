import { join } from 'node:path';
import { readmeMetricNames } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('README', () => {
  it('lists exactly the metrics the package exports', () => {
    const exported = Object.entries(api)
      .filter(([k]) => k.startsWith('METRIC_'))
      .map(([, v]) => v as string);
    expect(readmeMetricNames(join(import.meta.dirname, '..', 'README.md')).sort()).toEqual(exported.sort());
  });
});
