import { describe, expect, it } from 'vitest';
import { unitSuffix } from '../src/prometheus.js';

describe('unitSuffix (OpenTelemetry to Prometheus unit names)', () => {
  it.each([
    ['s', false, 'seconds'],
    ['ms', false, 'milliseconds'],
    ['By', false, 'bytes'],
    ['By/s', false, 'bytes_per_second'],
    ['{request}', false, ''],
    ['{request}/s', false, 'per_second'],
    ['1', true, 'ratio'],
    ['1', false, ''],
    ['', false, ''],
    ['widgets', false, 'widgets'],
    ['m/s', false, 'meters_per_second'],
  ])('%j (gauge: %s) → %j', (unit, gauge, suffix) => {
    expect(unitSuffix(unit, gauge)).toBe(suffix);
  });
});
