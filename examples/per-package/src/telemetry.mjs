// Telemetry wired package by package, for teams that run their own OpenTelemetry setup instead of the
// `@otel-perf/node` preload. Each piece is optional: drop the lines of the packages you don't use.
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { AnomalyProcessor } from '@otel-perf/anomaly';
import { CacheInstrumentation } from '@otel-perf/instrumentation-cache';
import { CircuitBreakerInstrumentation } from '@otel-perf/instrumentation-circuit-breaker';
import { HttpInstrumentation } from '@otel-perf/instrumentation-http';
import { PgInstrumentation } from '@otel-perf/instrumentation-pg';
import { RuntimeInstrumentation } from '@otel-perf/instrumentation-runtime';
import { createViews } from '@otel-perf/views';

/**
 * Builds the MeterProvider: our views (bucket presets, cardinality guard), a Prometheus scrape endpoint on
 * `metricsPort`, and the anomaly processor as a second reader; then enables the instrumentations on it.
 */
export function startTelemetry({ serviceName, metricsPort, onAlert }) {
  const prometheus = new PrometheusExporter({ host: '127.0.0.1', port: metricsPort });
  const anomaly = new AnomalyProcessor({ onAlert });
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    views: createViews(),
    readers: [prometheus, anomaly],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  const unregister = registerInstrumentations({
    meterProvider,
    instrumentations: [
      new HttpInstrumentation({ ignorePaths: ['/health/*'] }),
      new RuntimeInstrumentation(),
      // Patches `pg` for CommonJS requires; an ESM app's pools are added with instrumentPool().
      new PgInstrumentation(),
      new CacheInstrumentation(),
      new CircuitBreakerInstrumentation(),
    ],
  });
  return {
    meterProvider,
    anomaly,
    async shutdown() {
      unregister();
      await meterProvider.shutdown();
    },
  };
}
