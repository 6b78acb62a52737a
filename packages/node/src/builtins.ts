/**
 * The built-in plugins, by the name the config file uses (`builtins.<name>`). To add one: import its
 * factory and add an entry; `enabledByDefault` says whether it runs when the config does not mention it,
 * `options` (optional) is the plain-data schema its options are validated against at startup, and `create`
 * builds the plugin (an instrumentation becomes a plugin through `instrumentationPlugin`).
 */
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@otel-perf/instrumentation-http';
import { type Builtin, instrumentationPlugin } from './builtin.js';

export const BUILTINS = {
  http: {
    enabledByDefault: true,
    create: (options, { isOwnRequest }) => {
      const config = options as HttpInstrumentationConfig;
      const userIgnore = config.ignoreIncomingRequestHook;
      return instrumentationPlugin(
        'http',
        new HttpInstrumentation({
          ...config,
          // The metrics server's own requests (scrapes, plugin routes) are not the app's traffic.
          ignoreIncomingRequestHook: (req) => isOwnRequest(req) || userIgnore?.(req) === true,
        }),
      );
    },
  },
} satisfies Record<string, Builtin>;

/** The name of a built-in plugin. */
export type BuiltinName = keyof typeof BUILTINS;
