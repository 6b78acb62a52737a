/**
 * Reads the standard OpenTelemetry environment variables (and ours, `OTEL_PERF_*`) into the shape of
 * `OtelPerfConfig`. Only variables that are set (non-empty) appear in the result; a bad value throws a
 * `ConfigError` naming the variable.
 */
import { LOG_LEVELS } from './schema.js';
import type { LogLevel, MetricsExporterName, OtelPerfConfig, OtlpConfig, PrometheusConfig } from './types.js';
import { ConfigError } from './validate.js';

type Env = Readonly<Record<string, string | undefined>>;

function get(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function bool(env: Env, name: string): boolean | undefined {
  const v = get(env, name)?.toLowerCase();
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(name, env[name], 'true or false');
}

function int(env: Env, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = get(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    throw new ConfigError(name, env[name], `an integer from ${min} to ${max}`);
  }
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const v = get(env, name)?.toLowerCase();
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(name, env[name], `one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/**
 * Parses `key=value,key2=value2` (values percent-decoded), the format of `OTEL_RESOURCE_ATTRIBUTES` and
 * `OTEL_EXPORTER_OTLP_HEADERS`.
 */
export function parseKeyValueList(name: string, raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) throw new ConfigError(name, raw, 'a comma-separated list of key=value pairs');
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(name, raw, 'key=value pairs with percent-encoded values');
    }
    out[decodeURIComponent(key)] = value;
  }
  return out;
}

function exporters(env: Env): MetricsExporterName[] | undefined {
  const raw = get(env, 'OTEL_METRICS_EXPORTER');
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const allowed = 'a comma-separated list of prometheus and otlp, or none';
  const out = new Set<MetricsExporterName>();
  for (const n of names) {
    if (n === 'none') continue;
    if (n !== 'prometheus' && n !== 'otlp') throw new ConfigError('OTEL_METRICS_EXPORTER', raw, allowed);
    out.add(n);
  }
  // `none` together with an exporter is contradictory.
  if (names.includes('none') && out.size > 0) throw new ConfigError('OTEL_METRICS_EXPORTER', raw, allowed);
  return [...out];
}

function otlpEndpoint(env: Env, protocol: string | undefined): string | undefined {
  const check = (name: string, value: string): string => {
    try {
      const u = new URL(value);
      if (u.protocol === 'http:' || u.protocol === 'https:') return value;
    } catch {}
    throw new ConfigError(name, value, 'an absolute http(s) URL');
  };
  const specific = get(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (specific) return check('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', specific);
  const base = get(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!base) return undefined;
  check('OTEL_EXPORTER_OTLP_ENDPOINT', base);
  // The generic endpoint is a base URL for the HTTP protocols; gRPC uses it as is.
  if (protocol === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/metrics`;
}

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

/** The environment's part of the configuration. */
export function configFromEnv(env: Env): OtelPerfConfig {
  const protocol =
    oneOf(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', ['http/protobuf', 'http/json', 'grpc'] as const) ??
    oneOf(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', ['http/protobuf', 'http/json', 'grpc'] as const);
  const generalHeaders = get(env, 'OTEL_EXPORTER_OTLP_HEADERS');
  const metricsHeaders = get(env, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS');
  const headers =
    generalHeaders || metricsHeaders
      ? {
          ...(generalHeaders ? parseKeyValueList('OTEL_EXPORTER_OTLP_HEADERS', generalHeaders) : {}),
          ...(metricsHeaders ? parseKeyValueList('OTEL_EXPORTER_OTLP_METRICS_HEADERS', metricsHeaders) : {}),
        }
      : undefined;
  const compression = ['gzip', 'none'] as const;
  const otlp = compact<OtlpConfig>({
    endpoint: otlpEndpoint(env, protocol),
    protocol,
    headers,
    compression:
      oneOf(env, 'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', compression) ??
      oneOf(env, 'OTEL_EXPORTER_OTLP_COMPRESSION', compression),
    timeoutMillis:
      int(env, 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 1) ?? int(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 1),
    temporalityPreference: oneOf(env, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', [
      'cumulative',
      'delta',
      'lowmemory',
    ] as const),
    exportIntervalMillis: int(env, 'OTEL_METRIC_EXPORT_INTERVAL', 1),
  });
  const host = get(env, 'OTEL_EXPORTER_PROMETHEUS_HOST');
  const prometheus = compact<PrometheusConfig>({
    host,
    port: int(env, 'OTEL_EXPORTER_PROMETHEUS_PORT', 0, 65535),
  });
  const resourceRaw = get(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const config: OtelPerfConfig = {
    disabled: bool(env, 'OTEL_SDK_DISABLED'),
    serviceName: get(env, 'OTEL_SERVICE_NAME'),
    resourceAttributes: resourceRaw ? parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', resourceRaw) : undefined,
    exporters: exporters(env),
    prometheus,
    otlp,
    shutdownTimeoutMillis: int(env, 'OTEL_PERF_SHUTDOWN_TIMEOUT', 100, 60_000),
    logLevel: oneOf<LogLevel>(env, 'OTEL_LOG_LEVEL', LOG_LEVELS),
    printEndpoints: bool(env, 'OTEL_PERF_PRINT_ENDPOINTS'),
  };
  return compact(config) ?? {};
}

/** True when `OTEL_SDK_DISABLED` says so; never throws (a bad value is reported by `configFromEnv`). */
export function disabledByEnv(env: Env): boolean {
  return get(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
}
