import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { FastPathViewsOptions } from '@otel-perf/core';

/**
 * The view settings the fast path applies itself (the SDK's views do not see its histograms): the same
 * options as `createViews` from `@otel-perf/views`; only the entries of the four HTTP histograms are used.
 */
export type HttpViewsOptions = FastPathViewsOptions;

/** Configuration of {@link HttpInstrumentation}. Every option is optional; defaults are merged in one place. */
export interface HttpInstrumentationConfig extends InstrumentationConfig {
  /**
   * Measure inbound requests (`http.server.*`).
   * @default true
   */
  server?: boolean;
  /**
   * Measure outbound requests made with `node:http`/`node:https` (`http.client.request.duration`).
   * `fetch` (undici) is not covered here.
   * @default true
   */
  client?: boolean;
  /**
   * When no framework route is known (plain `node:http`, an unmatched express path…), derive `http.route`
   * from the path with the route normaliser (`/users/123` → `/users/:id`). With `false`, such requests have
   * no `http.route` at all, which is what the semantic conventions ask for when the route is unknown.
   * Cost: one cached lookup per request (a bounded map from path to template).
   * @default true
   */
  routeNormalization?: boolean;
  /**
   * Inbound paths that are not measured at all (no duration, not counted as active): an exact path
   * (`/metrics`), a prefix ending in `/*` (`/internal/*`), or a RegExp tested against the path (no query).
   * Cost: a set lookup per request, plus one test per prefix and RegExp.
   * @default []
   */
  ignorePaths?: readonly (string | RegExp)[];
  /**
   * Outbound requests to these hosts are not measured: `host` or `host:port` as in the request's `Host`
   * header (for example the OTLP collector the process exports to).
   * @default []
   */
  ignoreOutgoingHosts?: readonly string[];
  /**
   * Record `http.server.request.body.size` and `http.server.response.body.size`. Sizes come from
   * `Content-Length` (set by the app, or by Node for `res.end(body)`); chunked bodies of unknown length are
   * not recorded. Cost: one histogram recording per response and per request that has a body.
   * @default true
   */
  bodySize?: boolean;
  /**
   * The most attribute sets kept in the instrumentation's own cache of pre-built attribute objects (per
   * server and client side). Past it, attribute objects are built per request (correct, just slower);
   * bound series in the SDK with `createViews({ maxSeriesPerInstrument })` from `@otel-perf/views`.
   * @default 2000
   */
  maxCachedAttributeSets?: number;
  /**
   * Aggregate the four HTTP histograms inside the instrumentation instead of through the SDK's
   * `Histogram.record` (which hashes the attribute set on every recording: about 1.1 µs of a 1.4 µs
   * recording). The histograms then reach readers ONLY through producers from
   * `instrumentation.metricProducer()`, one passed to each reader's `metricProducers` option; the
   * `@otel-perf/node` distro does that for every reader it builds. Bucket overrides, allow-lists and the
   * series cap come from `views` (not from the MeterProvider's views). Off, recordings go through the SDK
   * instruments of whatever MeterProvider is set, as any instrumentation does.
   * @default false
   */
  fastPath?: boolean;
  /**
   * With `fastPath`: bucket overrides, attribute allow-lists and series cap of the HTTP histograms, as
   * `createViews` options (the distro passes its own `views` config). Past the series cap (the stricter of
   * `maxSeriesPerInstrument` and `cardinalityLimit - 1`, default 1999) new attribute sets are recorded as
   * `{ otel.metric.overflow: true }`. Ignored without `fastPath`.
   * @default {}
   */
  views?: HttpViewsOptions;
}
