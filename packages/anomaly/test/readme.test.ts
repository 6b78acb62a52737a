import { join } from 'node:path';
import { readmeMetricNames } from '@otel-perf/test-utils';
import { expect, it } from 'vitest';
import { ANOMALY_METRICS } from '../src/index.js';

it('the README metrics table lists exactly the metrics in semconv.ts', () => {
  expect(readmeMetricNames(join(import.meta.dirname, '..', 'README.md')).sort()).toEqual(
    [...ANOMALY_METRICS].sort(),
  );
});
