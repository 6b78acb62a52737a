import { register } from 'node:module';
import { diag } from '@opentelemetry/api';

/**
 * Registers the import-in-the-middle loader hook (through `@opentelemetry/instrumentation/hook.mjs`) so
 * that ESM `import`s of the modules in `modules` are patched too. Only those modules are wrapped; with no
 * module to patch (the HTTP instrumentation uses diagnostics_channel) no hook is registered at all.
 * `register()` returns after the hook's `initialize` ran, so the list is in place before the app's first
 * import.
 */
export function registerEsmHooks(modules: readonly string[], parentUrl: string): boolean {
  if (modules.length === 0) return false;
  try {
    register('@opentelemetry/instrumentation/hook.mjs', parentUrl, { data: { include: [...modules] } });
    return true;
  } catch (err) {
    diag.error('otel-perf: could not register the ESM loader hook; ESM imports are not instrumented', err);
    return false;
  }
}
