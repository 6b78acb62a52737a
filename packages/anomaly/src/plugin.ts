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
 * its own metrics, and its collection timer. Invalid configuration throws here, naming the key.
 */
export function anomalyPlugin(config: AnomalyConfig = {}): AnomalyPlugin {
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
