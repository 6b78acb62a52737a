/**
 * The built-in plugins, by name; the name is also the key of its section in the config (`http: false`,
 * `dashboard: { enabled: true }`). To add one: import its factory
 * and add an entry; `enabledByDefault` says whether it runs when the config does not mention it,
 * `options` (optional) is the plain-data schema its options are checked against at startup, and `create`
 * builds the plugin from its options (an instrumentation becomes a plugin with `instrumentationPlugin`).
 * A factory that throws on bad options stops startup with a `ConfigError` naming the section. A name must
 * not be one of the distro's own config keys (a test checks).
 */
import { type AnomalyConfig, anomalyPlugin } from '@otel-perf/anomaly';
import { type DashboardConfig, dashboardPlugin } from '@otel-perf/dashboard';
import { type HealthConfig, healthPlugin } from '@otel-perf/health';
import { CacheInstrumentation, type CacheInstrumentationConfig } from '@otel-perf/instrumentation-cache';
import {
  CircuitBreakerInstrumentation,
  type CircuitBreakerInstrumentationConfig,
} from '@otel-perf/instrumentation-circuit-breaker';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@otel-perf/instrumentation-http';
import { PgInstrumentation, type PgInstrumentationConfig } from '@otel-perf/instrumentation-pg';
import {
  RuntimeInstrumentation,
  type RuntimeInstrumentationConfig,
} from '@otel-perf/instrumentation-runtime';
import { type Builtin, fastPathPlugin, instrumentationPlugin } from './builtin.js';

export const BUILTINS = {
  http: {
    enabledByDefault: true,
    // The exporter's own requests to the OTLP endpoint are not app traffic; the metrics server marks itself
    // (IGNORE_SERVER): scrapes and probes are not app traffic either. Fast path on (see fastPathPlugin).
    create: (options, context) =>
      fastPathPlugin('http', context, options as HttpInstrumentationConfig, (config) => {
        const hosts = [...(config.ignoreOutgoingHosts ?? []), ...context.exportHosts];
        return new HttpInstrumentation({ ...config, ignoreOutgoingHosts: hosts });
      }),
  },
  circuitBreaker: {
    enabledByDefault: true,
    create: (options) =>
      instrumentationPlugin(
        'circuitBreaker',
        new CircuitBreakerInstrumentation(options as CircuitBreakerInstrumentationConfig),
      ),
  },
  runtime: {
    enabledByDefault: true,
    create: (options) =>
      instrumentationPlugin('runtime', new RuntimeInstrumentation(options as RuntimeInstrumentationConfig)),
  },
  // Reports the caches the app measures with @otel-perf/instrumentation-cache's adapters (it patches nothing).
  cache: {
    enabledByDefault: true,
    create: (options) =>
      instrumentationPlugin('cache', new CacheInstrumentation(options as CacheInstrumentationConfig)),
  },
  pg: {
    enabledByDefault: true,
    // Fast path on, as for http (see fastPathPlugin); `pg: { fastPath: false }` records through the SDK.
    create: (options, context) =>
      fastPathPlugin(
        'pg',
        context,
        options as PgInstrumentationConfig,
        (config) => new PgInstrumentation(config),
      ),
  },
  // Plugins that read other plugins start after them: health reads anomaly, the dashboard reads both.
  anomaly: {
    enabledByDefault: true,
    create: (options) => anomalyPlugin(options as AnomalyConfig),
  },
  health: {
    enabledByDefault: true,
    create: (options) => healthPlugin(options as HealthConfig),
  },
  dashboard: {
    enabledByDefault: false,
    create: (options) => dashboardPlugin(options as DashboardConfig),
  },
} satisfies Record<string, Builtin>;

/** The name of a built-in plugin. */
export type BuiltinName = keyof typeof BUILTINS;
