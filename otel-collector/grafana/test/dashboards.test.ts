import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardJson } from '../src/index.ts';
import { DATASOURCE } from '../src/panels.ts';
import { PROVISIONING } from '../src/provisioning.ts';
import { allPanels, committedDashboards, ROOT } from './helpers.ts';

const committed = committedDashboards();

interface TablePanel {
  type: string;
  title: string;
  transformations: { id: string; options: { renameByName?: Record<string, string> } }[];
  fieldConfig: { overrides: { matcher: { id: string; options: string } }[] };
}

describe('generated files', () => {
  it('the committed dashboards are exactly what the TypeScript generates (run `npm run generate`)', () => {
    expect([...committed.keys()].sort()).toEqual(Object.keys(DASHBOARDS).sort());
    for (const [name, make] of Object.entries(DASHBOARDS)) {
      expect(committed.get(name)?.text, `dashboards/${name}.json`).toBe(dashboardJson(make()));
    }
  });

  it('the committed provisioning files are exactly what the TypeScript generates', () => {
    for (const [path, make] of Object.entries(PROVISIONING)) {
      expect(readFileSync(join(ROOT, 'provisioning', path), 'utf8'), path).toBe(make());
    }
  });

  it('generating twice gives the same JSON (no time stamps, no random ids)', () => {
    for (const make of Object.values(DASHBOARDS)) expect(dashboardJson(make())).toBe(dashboardJson(make()));
  });
});

describe('dashboard JSON schema', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'dashboard.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  it.each([...committed.keys()])('%s.json is valid', (name) => {
    const ok = validate(committed.get(name)?.json);
    expect(validate.errors ?? [], name).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects what Grafana would not load: a misspelt key, a panel wider than the grid, a target without expr', () => {
    const base = structuredClone(committed.get('overview')?.json) as unknown as Record<string, unknown>;
    const misspelt = { ...base, pannels: [] };
    expect(validate(misspelt)).toBe(false);

    const wide = structuredClone(base) as { panels: { gridPos: { w: number } }[] };
    (wide.panels[1] as { gridPos: { w: number } }).gridPos.w = 25;
    expect(validate(wide)).toBe(false);

    const noExpr = structuredClone(base) as { panels: { targets?: { expr?: string }[] }[] };
    delete noExpr.panels[1]?.targets?.[0]?.expr;
    expect(validate(noExpr)).toBe(false);
  });
});

describe('dashboard structure', () => {
  it('uids and titles are unique across dashboards', () => {
    const dashboards = [...committed.values()].map((d) => d.json);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
  });

  it.each([...committed.keys()])(
    '%s: panel ids unique, panels inside the grid and not overlapping',
    (name) => {
      const d = committed.get(name)?.json;
      if (!d) throw new Error(name);
      const panels = allPanels(d);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const cells = new Map<string, string>();
      for (const p of panels) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w, `${p.title} fits in 24 columns`).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            const other = cells.get(`${i},${j}`);
            expect(other, `${p.title} overlaps ${other}`).toBeUndefined();
            cells.set(`${i},${j}`, p.title);
          }
        }
      }
    },
  );

  it.each([...committed.keys()])('%s: every panel and query reads the datasource variable', (name) => {
    const d = committed.get(name)?.json;
    if (!d) throw new Error(name);
    expect(d.templating.list[0]).toMatchObject({
      name: 'datasource',
      type: 'datasource',
      query: 'prometheus',
    });
    for (const p of allPanels(d).filter((p) => p.type !== 'row')) {
      expect(p.datasource, p.title).toEqual(DATASOURCE);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource, `${p.title} ${t.refId}`).toEqual(p.datasource);
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, p.title).toBe(refIds.length);
    }
  });

  it.each([...committed.keys()])('%s: table column overrides name columns the table has', (name) => {
    const panels = (committed.get(name)?.json.panels ?? []) as unknown as TablePanel[];
    for (const p of panels.filter((p) => p.type === 'table')) {
      const renamed = Object.values(
        p.transformations.find((t) => t.id === 'organize')?.options.renameByName ?? {},
      );
      for (const o of p.fieldConfig.overrides) expect(renamed, p.title).toContain(o.matcher.options);
    }
  });

  it.each([...committed.keys()])(
    '%s: has the job and instance variables (multi-value, All = .*) and one collector path',
    (name) => {
      const vars = committed.get(name)?.json.templating.list ?? [];
      for (const v of ['job', 'instance']) {
        expect(vars.find((x) => x.name === v)).toMatchObject({ type: 'query', allValue: '.*' });
      }
    },
  );
});
