import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { OtelPerfPlugin, PluginContext, Route } from '@otel-perf/core';
import { alertRoutes } from './api.js';
import { recordAnomalyMetrics } from './instruments.js';
import { AnomalyProcessor } from './processor.js';
import type { Alert, AnomalyConfig } from './types.js';

/** The anomaly processor as a plugin of `@otel-perf/node`. */
export interface AnomalyPlugin extends OtelPerfPlugin {
  readonly name: 'anomaly';
  readonly processor: AnomalyProcessor;
  /** Firing, not silenced alerts: read by the health check (`anomaly:alerts`) and the dashboard. */
  activeAlerts(): Alert[];
}

/**
 * The anomaly processor for the distro: its reader on the MeterProvider, the alerts API on the metrics server,
 * its own metrics, and its collection timer. Without `apiToken`, the token is read from the
 * `OTEL_PERF_ANOMALY_API_TOKEN` environment variable. Invalid configuration throws here, naming the key.
 */
export function anomalyPlugin(options: AnomalyConfig = {}): AnomalyPlugin {
  const envToken = process.env.OTEL_PERF_ANOMALY_API_TOKEN;
  const config = options.apiToken === undefined && envToken ? { ...options, apiToken: envToken } : options;
  const processor = new AnomalyProcessor(config);
  const path = config.apiPath ?? '/api/alerts';
  let stopMetrics: (() => void) | undefined;
  return {
    name: 'anomaly',
    processor,
    activeAlerts: () => processor.activeAlerts(),
    readers: (): MetricReader[] => [processor],
    routes: (): Route[] => alertRoutes(processor, path, config.apiToken),
    start(ctx: PluginContext) {
      stopMetrics = recordAnomalyMetrics(processor, ctx.meterProvider);
      processor.start();
    },
    async shutdown() {
      stopMetrics?.();
      processor.stop();
    },
  };
}
