/**
 * `npm run build`: from the committed `dashboards/*.json` (what Grafana loads), writes
 * `dist/panels.rules.yml` (one recording rule per expression, for `promtool check rules`) and
 * `dist/promql.json` (the substituted expressions, for the end-to-end test against the live Prometheus).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardExprs, rulesYaml, uniqueExprs } from './promql.ts';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'dashboards');
const exprs = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => dashboardExprs(JSON.parse(readFileSync(join(dir, f), 'utf8'))));

mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'panels.rules.yml'), rulesYaml(exprs));
writeFileSync(join(root, 'dist', 'promql.json'), `${JSON.stringify(uniqueExprs(exprs), null, 2)}\n`);
console.log(`dist/panels.rules.yml, dist/promql.json: ${exprs.length} expressions`);
