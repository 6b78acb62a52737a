/**
 * Every PromQL expression the dashboards run — panel targets, annotations, and the selectors inside the
 * `label_values()` variable queries — with Grafana's template variables replaced by values Prometheus can
 * evaluate: each dashboard variable by `.*` (every one of them is used only in a regex matcher), the range
 * variables by fixed durations. `promtool check rules` checks them as recording rules; the end-to-end test
 * runs them against the live Prometheus.
 */
import { stringify } from 'yaml';

/** Fixed values for Grafana's built-in interval variables. */
export const BUILTIN_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
};

/** Where an expression comes from. */
export interface PanelExpr {
  dashboard: string;
  /** `panel <id> <refId>`, `annotation <n>` or `variable <name>`. */
  source: string;
  title: string;
  /** As written in the dashboard, with variables. */
  expr: string;
  /** With every variable replaced. */
  substituted: string;
}

interface JsonTarget {
  refId?: string;
  expr?: string;
}
interface JsonPanel {
  id?: number;
  type?: string;
  title?: string;
  targets?: JsonTarget[];
  panels?: JsonPanel[];
}
interface JsonDashboard {
  uid?: string;
  panels?: JsonPanel[];
  annotations?: { list?: { name?: string; expr?: string }[] };
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
}

const VARIABLE = /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g;

/** The variables an expression uses (`$job`, `${job}`, `$__rate_interval`). */
export function variablesOf(expr: string): string[] {
  return [...expr.matchAll(VARIABLE)].map((m) => m[1] ?? m[2] ?? '');
}

/** `expr` with each variable replaced: built-ins by {@link BUILTIN_VALUES}, the others by `.*`. */
export function substitute(expr: string): string {
  return expr.replace(VARIABLE, (_all, braced?: string, plain?: string) => {
    const name = braced ?? plain ?? '';
    return BUILTIN_VALUES[name] ?? '.*';
  });
}

/** The selector inside `label_values(selector, label)`; undefined for `label_values(label)` and other queries. */
export function labelValuesSelector(query: string): string | undefined {
  const m = /^label_values\((.+),\s*\w+\)$/.exec(query.trim());
  return m?.[1];
}

function panelsOf(panels: JsonPanel[] = []): JsonPanel[] {
  return panels.flatMap((p) => [p, ...panelsOf(p.panels)]);
}

/** Every expression of one dashboard, in order: variables, annotations, panels. */
export function dashboardExprs(dashboard: JsonDashboard): PanelExpr[] {
  const uid = dashboard.uid ?? '';
  const out: PanelExpr[] = [];
  const add = (source: string, title: string, expr: string) =>
    out.push({ dashboard: uid, source, title, expr, substituted: substitute(expr) });
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== 'query' || typeof v.query !== 'string') continue;
    const selector = labelValuesSelector(v.query);
    if (selector) add(`variable ${v.name}`, v.name, selector);
  }
  (dashboard.annotations?.list ?? []).forEach((a, i) => {
    if (a.expr) add(`annotation ${i}`, a.name ?? '', a.expr);
  });
  for (const panel of panelsOf(dashboard.panels)) {
    for (const t of panel.targets ?? []) {
      if (t.expr) add(`panel ${panel.id} ${t.refId}`, panel.title ?? '', t.expr);
    }
  }
  return out;
}

function recordName(e: PanelExpr): string {
  return `dashboard:${e.dashboard}:${e.source}`.replace(/[^A-Za-z0-9_:]+/g, '_');
}

/** A Prometheus rules file with one recording rule per expression, one group per dashboard. */
export function rulesYaml(exprs: readonly PanelExpr[]): string {
  const groups = new Map<string, { record: string; expr: string; labels: { title: string } }[]>();
  for (const e of exprs) {
    const rules = groups.get(e.dashboard) ?? [];
    rules.push({ record: recordName(e), expr: e.substituted, labels: { title: e.title } });
    groups.set(e.dashboard, rules);
  }
  const doc = { groups: [...groups].map(([name, rules]) => ({ name: `dashboard-${name}`, rules })) };
  return stringify(doc, { lineWidth: 0 });
}

/** The substituted expressions, each once, in order (for the end-to-end test against the live Prometheus). */
export function uniqueExprs(exprs: readonly PanelExpr[]): string[] {
  return [...new Set(exprs.map((e) => e.substituted))];
}
