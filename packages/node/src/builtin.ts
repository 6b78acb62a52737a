import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { OtelPerfPlugin } from '@otel-perf/core';
import type { Schema } from './validate.js';

/** What a built-in's factory gets from the distro besides its options. */
export interface BuiltinContext {
  /** `host[:port]` of the endpoints the distro exports to (the OTLP collector): not app traffic. */
  readonly exportHosts: readonly string[];
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
