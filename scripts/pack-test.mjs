#!/usr/bin/env node
// Proves every published package installs and works on its own, the way `npm i @otel-perf/<pkg>` would:
// packs each non-private workspace package (npm pack), installs the tarballs into a fresh project outside
// the workspace, and uses each from a CommonJS script, an ESM script and a type-checked TypeScript file.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const pkgs = readdirSync(packagesDir)
  .map((d) => ({
    dir: join(packagesDir, d),
    json: JSON.parse(readFileSync(join(packagesDir, d, 'package.json'), 'utf8')),
  }))
  .filter((p) => !p.json.private && p.json.scripts?.build);

const work = mkdtempSync(join(tmpdir(), 'otel-perf-pack-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);
// The preloaded apps below take a free port for their metrics server, never the default 9464.
process.env.OTEL_EXPORTER_PROMETHEUS_PORT = '0';
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000 });

let passed = 0;
let failed = 0;
const check = (name, fn) => {
  try {
    fn();
    passed++;
    console.log(`  ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`  FAIL ${name}\n${String(err.stdout ?? '')}${String(err.stderr ?? '')}${err.message}`);
  }
};

try {
  const files = pkgs.map((p) => {
    const out = run('npm', ['pack', '--silent', '--pack-destination', tarballs], p.dir)
      .trim()
      .split('\n')
      .pop();
    return join(tarballs, out);
  });
  // Our packages from their tarballs, direct and transitive (an override refers to the direct dependency),
  // everything else from the registry.
  const dependencies = Object.fromEntries(pkgs.map((p, i) => [p.json.name, `file:${files[i]}`]));
  const overrides = Object.fromEntries(pkgs.map((p) => [p.json.name, `$${p.json.name}`]));
  Object.assign(dependencies, {
    '@opentelemetry/api': '1.10.0',
    typescript: '~5.9.3',
    '@types/node': '^24.10.0',
  });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      { name: 'pack-test-app', private: true, version: '0.0.0', dependencies, overrides },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund'], app);

  for (const p of pkgs) {
    const name = p.json.name;
    const exportsNames = Object.keys(
      JSON.parse(
        run(
          'node',
          [
            '--input-type=module',
            '-e',
            `import * as m from '${name}'; console.log(JSON.stringify(Object.fromEntries(Object.keys(m).map(k=>[k,1]))))`,
          ],
          app,
        ),
      ),
    );
    check(`${name}: ESM import has named exports (${exportsNames.length})`, () => {
      if (exportsNames.length === 0) throw new Error('no exports');
    });
    check(`${name}: CommonJS require has the same exports`, () => {
      const cjs = JSON.parse(
        run('node', ['-e', `console.log(JSON.stringify(Object.keys(require('${name}'))))`], app),
      );
      const missing = exportsNames.filter((k) => !cjs.includes(k));
      if (missing.length) throw new Error(`missing in CJS: ${missing.join(', ')}`);
    });
    check(`${name}: types resolve in a strict TypeScript file`, () => {
      const first = exportsNames[0];
      writeFileSync(
        join(app, 'check.ts'),
        `import * as m from '${name}';\nimport { ${first} } from '${name}';\nconst used: unknown = ${first};\nexport const n: number = Object.keys(m).length + (used ? 1 : 0);\n`,
      );
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2023',
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
          },
          files: ['check.ts'],
        }),
      );
      run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
    });
  }
  if (pkgs.some((p) => p.json.name === '@otel-perf/node')) {
    check(
      '@otel-perf/node: `node --require @otel-perf/node/register` runs an app outside the workspace',
      () => {
        writeFileSync(join(app, 'app.cjs'), "require('node:http'); console.log('app ran');\n");
        const out = run('node', ['--require', '@otel-perf/node/register', 'app.cjs'], app);
        if (!out.includes('app ran')) throw new Error(out);
      },
    );
    check('@otel-perf/node: `node --import @otel-perf/node/register` runs an ESM app', () => {
      writeFileSync(join(app, 'app.mjs'), "import 'node:http'; console.log('esm app ran');\n");
      const out = run('node', ['--import', '@otel-perf/node/register', 'app.mjs'], app);
      if (!out.includes('esm app ran')) throw new Error(out);
    });
  }
} catch (err) {
  failed++;
  console.log(`pack test setup failed: ${String(err.stderr ?? '')}${err.message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
if (process.env.OTEL_PERF_TEST_RESULTS) {
  // The shape scripts/summarize-tests.mjs reads, so the pack test counts in the run's total.
  writeFileSync(
    join(process.env.OTEL_PERF_TEST_RESULTS, 'pack.json'),
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: 0,
      numTodoTests: 0,
      success: failed === 0,
    }),
  );
}
process.exit(failed > 0 || passed === 0 ? 1 : 0);
