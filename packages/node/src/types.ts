import type { OtelPerfPlugin } from '@otel-perf/core';
import type { BucketsOption } from '@otel-perf/views';
import type { BuiltinName } from './builtins.js';

/** Where metrics go. `prometheus` serves `/metrics`; `otlp` pushes periodically. */
export type MetricsExporterName = 'prometheus' | 'otlp';

/** `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/** `OTEL_LOG_LEVEL`, case-insensitive in the environment. */
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

/**
 * Views: bucket overrides, attribute allow-lists and cardinality limits, as plain data (the options of
 * `createViews` from `@otel-perf/views`). Instrument names are exact (no wildcards).
 */
export interface ViewsConfig {
  /**
   * Bucket boundaries per histogram name: strictly increasing numbers, or a preset name from
   * `@otel-perf/views` (`http`, `db`, `pool`, `cache`, `eventLoop`, `gc`, `circuitBreaker`, `bodySize`).
   * @default {} (every otel-perf histogram keeps its preset)
   */
  buckets?: Readonly<Record<string, BucketsOption>>;
  /**
   * The only attribute keys kept per instrument name (an allow-list). Fewer keys, fewer series.
   * @default {}
   */
  attributes?: Readonly<Record<string, readonly string[]>>;
  /**
   * The SDK's per-collection series limit (`aggregationCardinalityLimit`) for every view.
   * @default 2000 (the SDK's default)
   */
  cardinalityLimit?: number;
  /**
   * The most series one instrument may ever create (a cardinality guard: later attribute sets are
   * recorded as `{ otel.metric.overflow: true }`), so memory stays bounded with cumulative temporality.
   * Applies to the preset histograms and to instruments named in `attributes`. Cost: a WeakMap lookup per
   * recording for the cached attribute sets otel-perf instrumentations pass.
   * @default 2000
   */
  maxSeriesPerInstrument?: number;
}

/** The Prometheus exporter and the metrics server it shares with plugin routes. */
export interface PrometheusConfig {
  /**
   * Host the metrics server binds (`OTEL_EXPORTER_PROMETHEUS_HOST`).
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Port of the metrics server (`OTEL_EXPORTER_PROMETHEUS_PORT`); 0 picks a free port, see `metricsServerUrl()`.
   * @default 9464
   */
  port?: number;
}

/** The OTLP push exporter. Every field has a standard environment variable. */
export interface OtlpConfig {
  /**
   * The full URL metrics are sent to (`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`; or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics` for the HTTP protocols).
   * @default 'http://localhost:4318/v1/metrics' ('http://localhost:4317' for grpc)
   */
  endpoint?: string;
  /** @default 'http/protobuf' */
  protocol?: OtlpProtocol;
  /**
   * Extra request headers (`OTEL_EXPORTER_OTLP_(METRICS_)HEADERS`, `key=value,key2=value2`).
   * @default {}
   */
  headers?: Readonly<Record<string, string>>;
  /** @default 'none' */
  compression?: 'gzip' | 'none';
  /**
   * Budget for one export, retries included, in milliseconds (`OTEL_EXPORTER_OTLP_(METRICS_)TIMEOUT`).
   * @default 10000
   */
  timeoutMillis?: number;
  /** @default 'cumulative' */
  temporalityPreference?: TemporalityPreference;
  /**
   * Time between two exports, in milliseconds (`OTEL_METRIC_EXPORT_INTERVAL`).
   * @default 60000
   */
  exportIntervalMillis?: number;
}

/** The options of one built-in plugin: on/off, or its options (which turn it on). */
export type BuiltinSetting = boolean | ({ enabled?: boolean } & Record<string, unknown>);

/**
 * One section per built-in plugin, keyed by its name (see `BUILTINS`): `false` turns it off, `true` or an
 * options object turns it on (`{ enabled: false, ... }` keeps it off). Unlisted built-ins keep their
 * default: `http`, `circuitBreaker`, `cache`, `pg`, `runtime` and `health` are on, `dashboard` is opt-in.
 */
export type BuiltinSections = { readonly [K in BuiltinName]?: BuiltinSetting };

/**
 * What `start()` accepts and what the config file (`OTEL_PERF_CONFIG`, YAML or JSON) holds, minus
 * `plugins` (objects exist only in code). Precedence: `start()` options, then environment variables,
 * then the file, then the defaults; `OTEL_SDK_DISABLED=true` always wins.
 */
export interface OtelPerfConfig extends BuiltinSections {
  /**
   * Set nothing up at all (`OTEL_SDK_DISABLED`).
   * @default false
   */
  disabled?: boolean;
  /**
   * `service.name` (`OTEL_SERVICE_NAME`).
   * @default 'unknown_service:node'
   */
  serviceName?: string;
  /**
   * Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`, `key=value,key2=value2`). Environment pairs
   * override file pairs key by key.
   * @default {}
   */
  resourceAttributes?: Readonly<Record<string, string>>;
  /**
   * Readers to build (`OTEL_METRICS_EXPORTER`: `prometheus`, `otlp`, both comma-separated, or `none`).
   * @default ['prometheus']
   */
  exporters?: readonly MetricsExporterName[];
  prometheus?: PrometheusConfig;
  otlp?: OtlpConfig;
  views?: ViewsConfig;
  /**
   * How long the final flush may take on SIGTERM/SIGINT, `beforeExit` and `shutdown()`, in milliseconds
   * (`OTEL_PERF_SHUTDOWN_TIMEOUT`).
   * @default 2000
   */
  shutdownTimeoutMillis?: number;
  /**
   * The diag logger level (`OTEL_LOG_LEVEL`); diag messages go to stderr.
   * @default 'warn'
   */
  logLevel?: LogLevel;
  /**
   * Print one line with the metrics server URL on stderr once it listens (`OTEL_PERF_PRINT_ENDPOINTS`).
   * Also printed when the log level is `info` or more verbose.
   * @default false
   */
  printEndpoints?: boolean;
}

/** What `start()` accepts: the config plus code-only parts. */
export interface StartOptions extends OtelPerfConfig {
  /**
   * A config file to read instead of `OTEL_PERF_CONFIG`.
   * @default process.env.OTEL_PERF_CONFIG
   */
  configFile?: string;
  /**
   * Plugins built in code, started after the built-ins, in order.
   * @default []
   */
  plugins?: readonly OtelPerfPlugin[];
  /**
   * Environment to read instead of `process.env` (tests).
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The configuration after merging defaults, file, environment and code; every field is set. */
export interface ResolvedConfig {
  disabled: boolean;
  serviceName: string | undefined;
  resourceAttributes: Record<string, string>;
  exporters: MetricsExporterName[];
  prometheus: Required<PrometheusConfig>;
  otlp: Required<OtlpConfig>;
  views: ViewsConfig;
  /** The built-in sections, by built-in name (only those some source set). */
  builtins: Record<string, BuiltinSetting>;
  shutdownTimeoutMillis: number;
  logLevel: LogLevel;
  printEndpoints: boolean;
  /** The file the config came from, if any. */
  configFile: string | undefined;
}
