import { join } from 'node:path';
import { expectAttributesTable, expectMetricsTable, readReadme } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { PG_METRICS } from '../src/semconv.js';

const readme = readReadme(join(import.meta.dirname, '..', 'README.md'));
const table = readme.table;

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with instrument, unit and attributes', () => {
    expectMetricsTable(readme, PG_METRICS);
  });

  it('documents every attribute the package exports, and no other', () => {
    expectAttributesTable(readme, api);
  });

  it('names the slow-query channel and the default threshold it has', () => {
    expect(readme.text).toContain(`\`${api.SLOW_QUERY_CHANNEL}\``);
    expect(table('Configuration')[0]).toEqual([
      '`slowQueryThreshold`',
      `\`${api.DEFAULT_SLOW_QUERY_THRESHOLD}\``,
      expect.any(String),
    ]);
  });
});
