import { defineConfig, type Options } from 'tsup';

/** The build every package uses: ESM + CommonJS + types, from `src/` to `dist/`. */
export function packageBuild(entry: Options['entry'] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { composite: false } },
    tsconfig: 'tsconfig.build.json',
    clean: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    shims: true,
    splitting: false,
    ...extra,
  });
}
