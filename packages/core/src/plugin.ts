import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type {
  AggregationTemporalitySelector,
  MetricProducer,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

/**
 * A request handler mounted on the distro's metrics server (the server that serves `/metrics`).
 * It runs only for its own method and path; the distro answers 404 for anything unrouted, and 500
 * (with the error sent to the diag logger) if the handler throws.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** An exact path (`/health/live`) or a prefix ending in `/*` (`/dashboard/*`). No query string. */
  path: string;
  handler(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

/** What a plugin gets when the distro has built its MeterProvider. */
export interface PluginContext {
  /** The provider every otel-perf instrument is created on. */
  meterProvider: MeterProvider;
  /** Another plugin started before this one, by name (for example `health` reads `anomaly`). */
  getPlugin<T extends OtelPerfPlugin = OtelPerfPlugin>(name: string): T | undefined;
  /** Where the metrics server listens, once it does (undefined when no server runs). */
  serverUrl(): string | undefined;
}

/** Options of the producers for one reader. */
export interface ReaderProducerOptions {
  /** The reader's temporality selector (the same one the reader uses). @default cumulative */
  aggregationTemporalitySelector?: AggregationTemporalitySelector;
}

/**
 * What the distro passes to `readers()`. Some otel-perf metrics are aggregated outside the SDK (the HTTP
 * histograms' fast path) and reach a reader only through the producers it was constructed with, because
 * `MetricReader` accepts `metricProducers` only as a constructor option.
 *
 * @example
 * readers(context) {
 *   const temporality = () => AggregationTemporality.CUMULATIVE;
 *   return [new MyReader({ aggregationTemporalitySelector: temporality,
 *     metricProducers: context?.metricProducers({ aggregationTemporalitySelector: temporality }) })];
 * }
 */
export interface ReaderContext {
  /**
   * The producers for ONE reader the plugin constructs now: call once per reader, pass the result as that
   * reader's `metricProducers` option. If a plugin returns more readers than it asked producers for, the
   * distro turns the fast paths off (every reader still gets every metric, through the SDK, slower).
   */
  metricProducers(options?: ReaderProducerOptions): MetricProducer[];
}

/** Metrics a plugin aggregates itself and hands to every reader as `MetricProducer`s. */
export interface ProducerSource {
  /** A new producer for one reader (it keeps that reader's delta state). */
  create(options: ReaderProducerOptions): MetricProducer;
  /** Not every reader took a producer: record through the SDK instead. Called before any plugin starts. */
  fallBack(): void;
}

/**
 * The contract between the distro (`@otel-perf/node`) and the packages it wires in. Every member is
 * optional except the name; the distro calls them in this order: `metricProducers`, `readers` and `instrumentations`
 * (before the MeterProvider exists), `routes`, `start`, and at shutdown `shutdown` (bounded by the
 * distro's shutdown deadline). A member that throws is reported to the diag logger and the plugin is
 * skipped; it never stops the host application.
 */
export interface OtelPerfPlugin {
  /** Unique name, also the key of the plugin's section in the config file. */
  readonly name: string;
  /** Extra readers for the MeterProvider (the anomaly processor and the dashboard history are readers). */
  readers?(context?: ReaderContext): MetricReader[];
  /** Metrics this plugin aggregates outside the SDK; the distro hands a producer to every reader. */
  metricProducers?(): ProducerSource | undefined;
  /** Instrumentations to enable on the distro's MeterProvider. */
  instrumentations?(): Instrumentation[];
  /** Routes to mount on the metrics server. */
  routes?(): Route[];
  start?(context: PluginContext): void | Promise<void>;
  shutdown?(): Promise<void>;
}
