import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeMetricNames } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { RUNTIME_METRICS } from '../src/semconv.js';

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
    const fromReadme = table('Metrics').map(([name, instrument, unit, attrs]) => ({
      name: ticked(name ?? '')[0],
      instrument,
      unit: ticked(unit ?? '')[0],
      attributes: ticked(attrs ?? ''),
    }));
    const fromCode = RUNTIME_METRICS.map(({ name, instrument, unit, attributes }) => ({
      name,
      instrument,
      unit,
      attributes: [...attributes],
    }));
    expect(fromReadme).toEqual(fromCode);
    expect(readmeMetricNames(path)).toEqual(fromCode.map((m) => m.name));
  });

  it('documents every attribute the package exports, with their values', () => {
    const rows = table('Attributes');
    const documented = rows.flatMap(([cell]) => ticked(cell ?? ''));
    const exported = Object.entries(api)
      .filter(([k]) => k.startsWith('ATTR_'))
      .map(([, v]) => v as string);
    expect([...documented].sort()).toEqual([...exported].sort());
    const valuesOf = (attr: string) => ticked(rows.find(([c]) => ticked(c ?? '').includes(attr))?.[1] ?? '');
    expect(valuesOf('v8js.gc.type')).toEqual(expect.arrayContaining([...api.GC_TYPES]));
    expect(valuesOf('nodejs.eventloop.state')).toEqual([...api.EVENTLOOP_STATES]);
    expect(valuesOf('cpu.mode')).toEqual([...api.CPU_MODES]);
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
