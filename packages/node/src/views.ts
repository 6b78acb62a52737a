/**
 * The MeterProvider's views: `createViews` from `@otel-perf/views` (the bucket presets of every otel-perf
 * histogram, the config's overrides, attribute allow-lists and the cardinality guard).
 */
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { createViews } from '@otel-perf/views';
import type { ViewsConfig } from './types.js';
import { ConfigError } from './validate.js';

export function buildViews(views: ViewsConfig, source?: string): ViewOptions[] {
  try {
    return createViews(views);
  } catch (err) {
    // The schema check at startup catches what it can say better; this is the last line.
    throw new ConfigError('views', views, (err as Error).message, source);
  }
}
