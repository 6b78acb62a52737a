import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  AggregationTemporality,
  type MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { ReaderContext, Route } from '@otel-perf/core';
import { OtlpExporter } from './otlp.js';
import { metricsHandler } from './prometheus.js';
import { METRICS_PATH } from './server.js';
import type { ResolvedConfig } from './types.js';

/** The readers `OTEL_METRICS_EXPORTER` asks for, plus the route that serves Prometheus scrapes. */
export interface ExporterReaders {
  readers: MetricReader[];
  /** `GET /metrics`, when Prometheus is on. */
  routes: Route[];
}

const CUMULATIVE = (): AggregationTemporality => AggregationTemporality.CUMULATIVE;

/**
 * `context` hands out the producers of metrics aggregated outside the SDK, one set per reader.
 * `resourceSettled` resolves once the resource's asynchronous attributes (`host.id`) are known; scrapes
 * wait for it so the first one does not read a half-built resource.
 */
export function buildReaders(
  config: ResolvedConfig,
  resourceSettled: Promise<void>,
  context?: ReaderContext,
): ExporterReaders {
  const readers: MetricReader[] = [];
  const routes: Route[] = [];
  if (config.exporters.includes('prometheus')) {
    // Served by our own metrics server (shared with plugin routes), so the exporter never listens.
    // Prometheus is cumulative; the producers carry metrics aggregated outside the SDK (HTTP fast path).
    const prometheus = new PrometheusExporter({
      preventServerStart: true,
      metricProducers: context?.metricProducers({ aggregationTemporalitySelector: CUMULATIVE }),
    });
    readers.push(prometheus);
    routes.push({
      method: 'GET',
      path: METRICS_PATH,
      handler: metricsHandler(prometheus, resourceSettled),
    });
  }
  if (config.exporters.includes('otlp')) {
    const budget = Math.min(config.otlp.timeoutMillis, config.shutdownTimeoutMillis);
    const exporter = new OtlpExporter(config.otlp, budget);
    readers.push(
      new PeriodicExportingMetricReader({
        exporter,
        // The reader asks its exporter for the temporality (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
        metricProducers: context?.metricProducers({
          aggregationTemporalitySelector: (t) => exporter.selectAggregationTemporality(t),
        }),
        exportIntervalMillis: config.otlp.exportIntervalMillis,
        exportTimeoutMillis: Math.min(30_000, config.otlp.exportIntervalMillis),
      }),
    );
  }
  return { readers, routes };
}
