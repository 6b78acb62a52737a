import { join } from 'node:path';
import { expectAttributesTable, expectMetricsTable, readReadme, ticked } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { CIRCUIT_BREAKER_METRICS } from '../src/semconv.js';

const readme = readReadme(join(import.meta.dirname, '..', 'README.md'));
const table = readme.table;

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with their instrument and unit', () => {
    // Attributes are checked below: the README abbreviates the config ones as `circuit_breaker.config.*`.
    expectMetricsTable(readme, CIRCUIT_BREAKER_METRICS, { attributes: false });
  });

  it('lists each metric’s attributes as semconv.ts does', () => {
    for (const [nameCell, , , attrCell] of table('Metrics')) {
      const d = CIRCUIT_BREAKER_METRICS.find((m) => m.name === ticked(nameCell ?? '')[0]);
      const listed = ticked(attrCell ?? '');
      const expected = d?.attributes ?? [];
      if (listed.includes('circuit_breaker.config.*')) {
        const config = expected.filter((a) => a.startsWith('circuit_breaker.config.'));
        expect(config.length).toBeGreaterThan(0);
        expect(listed.filter((a) => a !== 'circuit_breaker.config.*')).toEqual(
          expected.filter((a) => !a.startsWith('circuit_breaker.config.')),
        );
      } else {
        expect(listed, d?.name).toEqual([...expected]);
      }
    }
  });

  it('documents every attribute the package exports, and no other', () => {
    expectAttributesTable(readme, api);
  });

  it('names every outcome and state in the attributes table', () => {
    const rows = table('Attributes');
    const cellOf = (attr: string) => rows.find(([c]) => ticked(c ?? '').includes(attr))?.[1] ?? '';
    expect(ticked(cellOf('circuit_breaker.call.outcome'))).toEqual([...api.CALL_OUTCOMES]);
    expect(ticked(cellOf('circuit_breaker.state')).filter((s) => !s.includes('('))).toEqual(
      expect.arrayContaining([...api.BREAKER_STATES]),
    );
  });
});
