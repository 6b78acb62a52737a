import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const root = import.meta.dirname;
const packagesDir = join(root, 'packages');

/**
 * Every `@otel-perf/<name>` import resolves to `packages/<name>/src/index.ts`, so tests run from source
 * without a build. Subpath imports (`@otel-perf/node/register`) are not aliased: those tests exercise the
 * built package on purpose.
 */
function sourceAliases(): { find: RegExp; replacement: string }[] {
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(packagesDir, d.name, 'src', 'index.ts')))
    .map((d) => ({
      find: new RegExp(`^@otel-perf/${d.name}$`),
      replacement: join(packagesDir, d.name, 'src', 'index.ts'),
    }));
}

/** The vitest config every workspace uses: `export default workspaceConfig(import.meta.dirname)`. */
export function workspaceConfig(dir: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: sourceAliases() },
    test: {
      root: resolve(dir),
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Real servers are shared between files of one package; run files one at a time.
      fileParallelism: false,
      // `scripts/test.sh` collects every suite's results to print one total and to fail on skipped tests.
      reporters: process.env.OTEL_PERF_TEST_RESULTS
        ? [
            'default',
            ['json', { outputFile: join(process.env.OTEL_PERF_TEST_RESULTS, `${basename(dir)}.json`) }],
          ]
        : ['default'],
      allowOnly: !process.env.CI,
      ...overrides,
    },
  });
}
