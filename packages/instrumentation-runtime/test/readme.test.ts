import { join } from 'node:path';
import {
  expectAttributesTable,
  expectMetricsTable,
  readReadme,
  ticked,
  valuesOf,
} from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { RUNTIME_METRICS } from '../src/semconv.js';

const readme = readReadme(join(import.meta.dirname, '..', 'README.md'));
const table = readme.table;

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with instrument, unit and attributes', () => {
    expectMetricsTable(readme, RUNTIME_METRICS);
  });

  it('documents every attribute the package exports, with their values', () => {
    const rows = expectAttributesTable(readme, api);
    expect(valuesOf(rows, 'v8js.gc.type')).toEqual(expect.arrayContaining([...api.GC_TYPES]));
    expect(valuesOf(rows, 'nodejs.eventloop.state')).toEqual([...api.EVENTLOOP_STATES]);
    expect(valuesOf(rows, 'cpu.mode')).toEqual([...api.CPU_MODES]);
  });

  it('documents every option with its default', () => {
    const rows = table('Configuration');
    const i = new api.RuntimeInstrumentation({ enabled: false });
    for (const [key, value] of Object.entries(i.getConfig())) {
      const row = rows.find(([c]) => ticked(c ?? '')[0] === key);
      expect(row, key).toBeDefined();
      if (key !== 'enabled') expect(ticked(row?.[1] ?? '')[0], key).toBe(String(value));
    }
  });
});
