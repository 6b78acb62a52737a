/**
 * Serves Prometheus scrapes with unit suffixes. The 0.301 Prometheus exporter writes the unit only as a
 * `# UNIT` comment, so `http.server.request.duration` (unit `s`) would become
 * `http_server_request_duration`; the OpenTelemetry-to-Prometheus compatibility rules (and the Collector,
 * and dashboards written against it) expect `http_server_request_duration_seconds`. The exporter still
 * reads the metrics; this module only renames before its serializer runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { type PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

const UNITS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_UNITS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The Prometheus suffix for a UCUM unit: `s` → `seconds`, `By/s` → `bytes_per_second`, `1` → `ratio` on
 * gauges; annotations in braces (`{request}`) add nothing.
 */
export function unitSuffix(unit: string, isGauge: boolean): string {
  const u = unit.replace(/\{[^}]*\}/g, '').trim();
  if (u === '') return '';
  if (u === '1') return isGauge ? 'ratio' : '';
  const [num = '', per] = u.split('/', 2);
  const parts: string[] = [];
  if (num && num !== '1') parts.push(UNITS[num] ?? sanitize(num));
  if (per) parts.push(`per_${PER_UNITS[per] ?? UNITS[per] ?? sanitize(per)}`);
  return parts.filter(Boolean).join('_');
}

function withSuffix(metric: MetricData): MetricData {
  const suffix = unitSuffix(metric.descriptor.unit, metric.dataPointType === DataPointType.GAUGE);
  if (!suffix) return metric;
  const name = metric.descriptor.name;
  if (sanitize(name).endsWith(`_${suffix}`)) return metric;
  return { ...metric, descriptor: { ...metric.descriptor, name: `${name}_${suffix}` } } as MetricData;
}

/** A copy of `rm` whose metric names carry their unit suffix. */
export function addUnitSuffixes(rm: ResourceMetrics): ResourceMetrics {
  return {
    ...rm,
    scopeMetrics: rm.scopeMetrics.map((sm) => ({ ...sm, metrics: sm.metrics.map(withSuffix) })),
  };
}

/** The `GET /metrics` handler: collect through the exporter, rename, serialize. */
export function metricsHandler(
  exporter: PrometheusExporter,
  before: Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const serializer = new PrometheusSerializer();
  return async (_req, res) => {
    await before;
    const { resourceMetrics, errors } = await exporter.collect();
    if (errors.length > 0) diag.error('otel-perf: metrics collection reported errors', ...errors);
    const body = serializer.serialize(addUnitSuffixes(resourceMetrics));
    res.statusCode = 200;
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    res.end(body);
  };
}
