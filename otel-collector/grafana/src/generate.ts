/**
 * `npm run generate`: writes `dashboards/*.json` and `provisioning/**` from the TypeScript sources. The
 * outputs are committed; a test fails when they differ from what this would write.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DASHBOARDS, dashboardJson } from './index.ts';
import { PROVISIONING } from './provisioning.ts';

const root = join(import.meta.dirname, '..');

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path.slice(root.length + 1)}`);
}

for (const [name, make] of Object.entries(DASHBOARDS)) {
  write(join(root, 'dashboards', `${name}.json`), dashboardJson(make()));
}
for (const [path, make] of Object.entries(PROVISIONING)) {
  write(join(root, 'provisioning', path), make());
}
