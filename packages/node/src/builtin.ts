import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { OtelPerfPlugin, ReaderProducerOptions } from '@otel-perf/core';
import type { ViewsConfig } from './types.js';
import type { Schema } from './validate.js';

/** What a built-in's factory gets from the distro besides its options. */
export interface BuiltinContext {
  /** `host[:port]` of the endpoints the distro exports to (the OTLP collector): not app traffic. */
  readonly exportHosts: readonly string[];
  /** The distro's views (bucket overrides, allow-lists, series cap), for metrics aggregated outside the SDK. */
  readonly views: ViewsConfig;
}

/** One entry of the built-in table (`src/builtins.ts`). */
export interface Builtin {
  /** Whether it runs when the config does not mention it. */
  enabledByDefault: boolean;
  /** Schema of its options, checked at startup; without one the factory validates (and may throw). */
  options?: Schema;
  /** Builds the plugin. Throwing here is a configuration error and stops startup. */
  create(options: Record<string, unknown>, context: BuiltinContext): OtelPerfPlugin;
}

/** A plugin that only contributes instrumentations (created up front, so bad options fail at startup). */
export function instrumentationPlugin(name: string, ...instrumentations: Instrumentation[]): OtelPerfPlugin {
  return { name, instrumentations: () => instrumentations };
}

/** An instrumentation with a `fastPath` option and a `metricProducer()` per reader (http, pg). */
export interface FastPathInstrumentation
  extends Instrumentation<InstrumentationConfig & { fastPath?: boolean }> {
  metricProducer(options: ReaderProducerOptions): MetricProducer;
}

/**
 * A plugin for an instrumentation with a fast path (histograms aggregated in the instrumentation, handed to
 * every reader as a MetricProducer). It is on by default here, with the distro's views (`{ fastPath: false }`
 * in the plugin's config records through the SDK instead); the distro hands a producer to every reader, or
 * turns the fast path off (`fallBack`) when some reader cannot take one.
 */
export function fastPathPlugin<C extends InstrumentationConfig & { fastPath?: boolean; views?: object }>(
  name: string,
  context: BuiltinContext,
  config: C,
  create: (config: C) => FastPathInstrumentation,
): OtelPerfPlugin {
  const fastPath = config.fastPath ?? true;
  const instrumentation = create({ ...config, fastPath, views: config.views ?? context.views });
  return {
    name,
    instrumentations: () => [instrumentation],
    metricProducers: () =>
      fastPath
        ? {
            create: (o) => instrumentation.metricProducer(o),
            fallBack: () => instrumentation.setConfig({ ...instrumentation.getConfig(), fastPath: false }),
          }
        : undefined,
  };
}
