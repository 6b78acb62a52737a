import type { BucketPresetName } from './presets.js';

/** Bucket boundaries for one histogram: a preset name or an explicit, strictly increasing list. */
export type BucketsOption = BucketPresetName | readonly number[];

/** Options of {@link createViews}. Plain data: every field can come from a JSON or YAML config file. */
export interface CreateViewsOptions {
  /**
   * Bucket boundaries per histogram name, overriding the default preset of that metric (or adding a
   * histogram that has none). A value is a preset name (`"http"`, `"db"`, …) or a list of boundaries.
   * @default {} (every metric keeps its default preset from `METRIC_BUCKET_PRESETS`)
   * @example { 'http.server.request.duration': [0.01, 0.05, 0.1, 0.5, 1], 'db.client.operation.duration': 'cache' }
   */
  buckets?: Readonly<Record<string, BucketsOption>>;
  /**
   * Attribute allow-list per instrument name: attributes not listed are dropped before aggregation, which
   * is the first line of defence against cardinality. Names not listed keep all their attributes.
   * @default {}
   * @example { 'http.server.request.duration': ['http.request.method', 'http.route', 'http.response.status_code'] }
   */
  attributes?: Readonly<Record<string, readonly string[]>>;
  /**
   * The SDK's `aggregationCardinalityLimit` for every view created here: how many attribute sets one
   * collection cycle may hold before further sets go to the `otel.metric.overflow` point. This does NOT cap
   * cumulative memory on its own (see {@link createCardinalityGuard} for that).
   * @default undefined (the SDK default, 2000)
   */
  cardinalityLimit?: number;
  /**
   * Per-instrument series cap enforced by a cardinality guard (see {@link createCardinalityGuard}): once an
   * instrument has seen this many distinct attribute sets, every new set is recorded as the single series
   * `{ otel.metric.overflow: true }`, so memory stays bounded with cumulative temporality. Applies to every
   * histogram in the table and to every instrument named in `attributes`.
   * @default undefined (no guard)
   */
  maxSeriesPerInstrument?: number;
}
