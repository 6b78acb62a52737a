import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeMetricNames } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { CIRCUIT_BREAKER_METRICS } from '../src/semconv.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The rows of the first table under the heading `title`, as arrays of cells. */
function table(title: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.replace(/^#+\s*/, '') === title && l.startsWith('#'));
  expect(start, `heading ${title}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) {
      inTable = true;
      rows.push(
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim()),
      );
    } else if (inTable) break;
  }
  return rows.slice(2); // header and separator
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with their instrument and unit', () => {
    const rows = table('Metrics');
    const fromReadme = rows.map(([name, instrument, unit]) => ({
      name: ticked(name ?? '')[0],
      instrument,
      unit: unit === '(none)' ? '' : ticked(unit ?? '')[0],
    }));
    const fromCode = CIRCUIT_BREAKER_METRICS.map(({ name, instrument, unit }) => ({
      name,
      instrument,
      unit,
    }));
    expect(fromReadme).toEqual(fromCode);
    // The repository's shared reader agrees.
    expect(readmeMetricNames(join(import.meta.dirname, '..', 'README.md'))).toEqual(
      fromCode.map((m) => m.name),
    );
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
    const documented = table('Attributes').flatMap(([cell]) => ticked(cell ?? ''));
    const exported = Object.entries(api)
      .filter(([k]) => k.startsWith('ATTR_'))
      .map(([, v]) => v as string);
    expect([...documented].sort()).toEqual([...exported].sort());
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
