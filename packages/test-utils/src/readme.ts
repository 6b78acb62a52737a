import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * The metric names listed in a README's metrics table: every table row whose first cell is a backticked name
 * under a heading containing "Metrics". Used to check a package README against its `semconv.ts`.
 */
export function readmeMetricNames(readmePath: string): string[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const names: string[] = [];
  let inMetrics = false;
  for (const line of lines) {
    if (/^#+\s/.test(line)) inMetrics = /metrics/i.test(line);
    if (!inMetrics) continue;
    const m = line.match(/^\|\s*`([a-z0-9_.]+)`/i);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

/** The backticked spans of a table cell, in order. */
export function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

/** A package README, read once, with its tables. */
export interface Readme {
  /** The README's path. */
  readonly path: string;
  /** The README's text. */
  readonly text: string;
  /**
   * The body rows of the first table under the heading `title` (header and separator dropped), as arrays of
   * trimmed cells. Cells are split on `|` but not on `\|`. Fails the test when there is no such heading.
   */
  table(title: string): string[][];
}

/** Reads the README at `path` for the table checks of a package's `readme.test.ts`. */
export function readReadme(path: string): Readme {
  const text = readFileSync(path, 'utf8');
  return {
    path,
    text,
    table(title: string): string[][] {
      const lines = text.split('\n');
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
    },
  };
}

/** What a `semconv.ts` metric descriptor has that the README metrics table lists. */
export interface DocumentedMetric {
  readonly name: string;
  readonly instrument: string;
  readonly unit: string;
  readonly attributes: readonly string[];
}

/**
 * Asserts that the README's `Metrics` table lists exactly `metrics`, in order, with their instrument, unit
 * (a unitless metric is written `(none)`) and, unless `attributes: false`, their attributes; and that
 * {@link readmeMetricNames} reads the same names.
 */
export function expectMetricsTable(
  readme: Readme,
  metrics: readonly DocumentedMetric[],
  { attributes = true }: { attributes?: boolean } = {},
): void {
  const fromReadme = readme.table('Metrics').map(([name, instrument, unit, attrs]) => ({
    name: ticked(name ?? '')[0],
    instrument,
    unit: unit === '(none)' ? '' : ticked(unit ?? '')[0],
    ...(attributes ? { attributes: ticked(attrs ?? '') } : {}),
  }));
  const fromCode = metrics.map((m) => ({
    name: m.name,
    instrument: m.instrument,
    unit: m.unit,
    ...(attributes ? { attributes: [...m.attributes] } : {}),
  }));
  expect(fromReadme).toEqual(fromCode);
  expect(readmeMetricNames(readme.path)).toEqual(fromCode.map((m) => m.name));
}

/**
 * Asserts that the README's `Attributes` table names (in backticks, first column) exactly the values of the
 * package's `ATTR_*` exports, and returns the table's rows for further checks.
 */
export function expectAttributesTable(readme: Readme, api: Record<string, unknown>): string[][] {
  const rows = readme.table('Attributes');
  const documented = rows.flatMap(([cell]) => ticked(cell ?? ''));
  const exported = Object.entries(api)
    .filter(([k]) => k.startsWith('ATTR_'))
    .map(([, v]) => v as string);
  expect([...documented].sort()).toEqual([...exported].sort());
  return rows;
}

/** The backticked values in the second cell of the row whose first cell names `attr`. */
export function valuesOf(rows: string[][], attr: string): string[] {
  return ticked(rows.find(([c]) => ticked(c ?? '').includes(attr))?.[1] ?? '');
}
