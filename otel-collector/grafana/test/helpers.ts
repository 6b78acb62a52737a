import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** A panel of the committed JSON, as far as the tests read it. */
export interface PanelJson {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: { refId: string; expr: string; datasource?: { type?: string; uid?: string } }[];
  panels?: PanelJson[];
}

export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; query?: unknown; allValue?: string }[] };
  annotations: { list: { name: string; expr?: string }[] };
}

/** The committed dashboards by file name (`overview`, ...). */
export function committedDashboards(): Map<string, { text: string; json: DashboardJson }> {
  const dir = join(ROOT, 'dashboards');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const text = readFileSync(join(dir, f), 'utf8');
        return [f.replace(/\.json$/, ''), { text, json: JSON.parse(text) as DashboardJson }];
      }),
  );
}

/** Every panel, rows included. */
export function allPanels(d: DashboardJson): PanelJson[] {
  const walk = (ps: PanelJson[]): PanelJson[] => ps.flatMap((p) => [p, ...walk(p.panels ?? [])]);
  return walk(d.panels);
}
