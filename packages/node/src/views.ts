/**
 * Views from the bucket presets of `@otel-perf/views` and the config's per-instrument overrides. One view
 * per instrument name at most, so no instrument is ever exported twice.
 */
import {
  AggregationType,
  createAllowListAttributesProcessor,
  InstrumentType,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import {
  BODY_SIZE_BUCKETS,
  BUCKET_PRESETS,
  type BucketPresetName,
  DB_OPERATION_BUCKETS,
  HTTP_DURATION_BUCKETS,
  POOL_TIME_BUCKETS,
} from '@otel-perf/views';
import type { InstrumentViewConfig } from './types.js';

/**
 * Buckets for the semantic-convention histograms, applied even when an instrumentation carries no (or
 * other) advice. Instruments of other packages carry their preset as advice and need no view.
 */
export const DEFAULT_BUCKETS: Readonly<Record<string, readonly number[]>> = {
  'http.server.request.duration': HTTP_DURATION_BUCKETS,
  'http.client.request.duration': HTTP_DURATION_BUCKETS,
  'http.server.request.body.size': BODY_SIZE_BUCKETS,
  'http.server.response.body.size': BODY_SIZE_BUCKETS,
  'db.client.operation.duration': DB_OPERATION_BUCKETS,
  'db.client.connection.wait_time': POOL_TIME_BUCKETS,
  'db.client.connection.use_time': POOL_TIME_BUCKETS,
  'db.client.connection.create_time': POOL_TIME_BUCKETS,
};

function bucketsOf(buckets: InstrumentViewConfig['buckets']): readonly number[] | undefined {
  if (buckets === undefined) return undefined;
  return typeof buckets === 'string' ? BUCKET_PRESETS[buckets as BucketPresetName] : buckets;
}

/** The views for the MeterProvider: preset buckets merged with the config's overrides. */
export function buildViews(overrides: Readonly<Record<string, InstrumentViewConfig>>): ViewOptions[] {
  const names = new Set([...Object.keys(DEFAULT_BUCKETS), ...Object.keys(overrides)]);
  const views: ViewOptions[] = [];
  for (const name of names) {
    const override = overrides[name] ?? {};
    const buckets = bucketsOf(override.buckets) ?? DEFAULT_BUCKETS[name];
    const view: ViewOptions = { instrumentName: name };
    if (buckets) {
      // Buckets only make sense on histograms; a counter of the same name keeps its own aggregation.
      view.instrumentType = InstrumentType.HISTOGRAM;
      view.aggregation = {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: [...buckets] },
      };
    }
    if (override.attributes) {
      view.attributesProcessors = [createAllowListAttributesProcessor([...override.attributes])];
    }
    if (override.cardinalityLimit !== undefined) view.aggregationCardinalityLimit = override.cardinalityLimit;
    views.push(view);
  }
  return views;
}
