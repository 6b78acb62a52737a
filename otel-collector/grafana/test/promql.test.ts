import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_METRICS, seriesNames } from '../src/metrics.ts';
import { dashboardExprs, rulesYaml, substitute, uniqueExprs, variablesOf } from '../src/promql.ts';
import { committedDashboards, ROOT } from './helpers.ts';

const committed = committedDashboards();
const exprs = [...committed.values()].flatMap((d) => dashboardExprs(d.json));
const tmp = mkdtempSync(join(tmpdir(), 'otel-perf-grafana-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `promtool check rules` on a rules file; promtool comes from scripts/services/extra-prometheus.sh. */
function checkRules(text: string): { status: number | null; output: string } {
  const file = join(tmp, `rules-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    throw new Error(`promtool not runnable (${r.error.message}): run scripts/services/extra-prometheus.sh`);
  }
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('PromQL of every panel', () => {
  it('covers every target, annotation and variable query of every dashboard', () => {
    let targets = 0;
    for (const { json } of committed.values()) {
      for (const p of json.panels) targets += p.targets?.length ?? 0;
    }
    const panelExprs = exprs.filter((e) => e.source.startsWith('panel '));
    expect(panelExprs.length).toBe(targets);
    expect(exprs.filter((e) => e.source.startsWith('variable ')).length).toBeGreaterThanOrEqual(
      2 * committed.size,
    );
    expect(exprs.filter((e) => e.source.startsWith('annotation ')).length).toBe(committed.size);
  });

  it('passes `promtool check rules`, one recording rule per expression', () => {
    const { status, output } = checkRules(rulesYaml(exprs));
    expect(output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(status).toBe(0);
  });

  it('promtool fails on a broken expression (the check can fail)', () => {
    const broken = exprs.map((e, i) =>
      i === 5 ? { ...e, substituted: e.substituted.replace(/\)\s*$/, '') } : e,
    );
    expect(broken[5]?.substituted).not.toBe(exprs[5]?.substituted);
    const { status, output } = checkRules(rulesYaml(broken));
    expect(status).not.toBe(0);
    expect(output).toMatch(/parse error|unclosed|unexpected/i);
  });

  it('substitutes every variable, and uses each dashboard variable only in a regex matcher', () => {
    for (const e of exprs) {
      expect(e.substituted, e.expr).not.toContain('$');
      for (const v of variablesOf(e.expr).filter((v) => !v.startsWith('__'))) {
        const uses = e.expr.split(`$${v}`).length - 1;
        const regexUses = [...e.expr.matchAll(new RegExp(`=~"[^"]*\\$${v}[^"]*"`, 'g'))].length;
        expect(regexUses, `${e.dashboard} ${e.source}: $${v} outside =~"..."`).toBe(uses);
      }
    }
    expect(substitute('rate(x{job=~"$job"}[$__rate_interval])')).toBe('rate(x{job=~".*"}[5m])');
    expect(substitute('increase(x[$' + '{__range}])')).toBe('increase(x[1h])');
  });

  it('selects only series the distro and Prometheus expose (metric catalog, target_info, ALERTS)', () => {
    const known = seriesNames();
    for (const e of exprs) {
      // every selector has matchers (the service variables), except a bare series name as a whole expression
      const withMatchers = [...e.substituted.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\{/g)].map((m) => m[1]);
      if (withMatchers.length === 0) withMatchers.push(e.substituted.trim());
      for (const name of withMatchers) {
        if (name === undefined) continue;
        expect(known.has(name), `${e.dashboard} ${e.source}: unknown series ${name}`).toBe(true);
      }
    }
  });

  it('every metric of the catalog is shown somewhere', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    for (const m of ALL_METRICS)
      expect(all, m.prom).toMatch(new RegExp(`\\b${m.prom}(_bucket|_count|_sum)?\\{`));
  });

  it('dist/panels.rules.yml and dist/promql.json (npm run build) match the committed dashboards', () => {
    expect(readFileSync(join(ROOT, 'dist', 'panels.rules.yml'), 'utf8')).toBe(rulesYaml(exprs));
    const list = JSON.parse(readFileSync(join(ROOT, 'dist', 'promql.json'), 'utf8')) as string[];
    expect(list).toEqual(uniqueExprs(exprs));
    expect(list.every((x) => typeof x === 'string' && x.length > 0 && !x.includes('$'))).toBe(true);
  });
});
