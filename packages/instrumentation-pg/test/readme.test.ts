import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeMetricNames } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { PG_METRICS } from '../src/semconv.js';

const path = join(import.meta.dirname, '..', 'README.md');
const readme = readFileSync(path, 'utf8');

/** The rows of the first table under the heading `title`, as arrays of cells. */
function table(title: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith('#') && l.replace(/^#+\s*/, '') === title);
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
  return rows.slice(2);
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

describe('README', () => {
  it('lists exactly the metrics of semconv.ts, with instrument, unit and attributes', () => {
    expect(readmeMetricNames(path)).toEqual(PG_METRICS.map((m) => m.name));
    const rows = table('Metrics').map(([name, instrument, unit, attrs]) => ({
      name: ticked(name ?? '')[0],
      instrument,
      unit: ticked(unit ?? '')[0],
      attributes: ticked(attrs ?? ''),
    }));
    expect(rows).toEqual(
      PG_METRICS.map(({ name, instrument, unit, attributes }) => ({
        name,
        instrument,
        unit,
        attributes: [...attributes],
      })),
    );
  });

  it('documents every attribute the package exports, and no other', () => {
    const documented = table('Attributes').flatMap(([cell]) => ticked(cell ?? ''));
    const exported = Object.entries(api)
      .filter(([k]) => k.startsWith('ATTR_'))
      .map(([, v]) => v as string);
    expect([...documented].sort()).toEqual([...exported].sort());
  });

  it('names the slow-query channel and the default threshold it has', () => {
    expect(readme).toContain(`\`${api.SLOW_QUERY_CHANNEL}\``);
    expect(table('Configuration')[0]).toEqual([
      '`slowQueryThreshold`',
      `\`${api.DEFAULT_SLOW_QUERY_THRESHOLD}\``,
      expect.any(String),
    ]);
  });
});
