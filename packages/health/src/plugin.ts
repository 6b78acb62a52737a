import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { OtelPerfPlugin, PluginContext, ReaderContext, Route } from '@otel-perf/core';
import { anomalyAlertsCheck } from './checks.js';
import { createHealth, type Health } from './health.js';
import { recordHealthMetrics } from './instruments.js';
import { SnapshotReader, snapshotProducers } from './snapshot.js';
import type { HealthConfig } from './types.js';

/** What the health plugin looks for on a plugin named `anomaly`. */
interface AlertSource {
  activeAlerts(): ReadonlyArray<{ level: string }>;
}

/** The health plugin of the distro: its snapshot reader, routes and metrics. */
export interface HealthPlugin extends OtelPerfPlugin {
  readonly name: 'health';
  readonly health: Health;
}

/**
 * The `@otel-perf/node` plugin: adds a cumulative snapshot reader to the distro's MeterProvider (so the pg,
 * cache, breaker and runtime checks see their metrics), mounts `/health/live|ready|performance` on the
 * metrics server, records health metrics, checks active anomaly alerts when the `anomaly` plugin runs, and
 * starts background checks and the drain.
 */
export function healthPlugin(config: HealthConfig = {}): HealthPlugin {
  const maxAge = config.snapshotMaxAgeMs ?? 1000;
  // Replaced in readers() by one that carries the distro's producers; this one serves standalone use.
  let reader = new SnapshotReader(maxAge);
  const health = createHealth({ ...config, snapshot: config.snapshot ?? (() => reader.snapshot()) });
  let stopMetrics: (() => void) | undefined;
  return {
    name: 'health',
    health,
    readers(context?: ReaderContext): MetricReader[] {
      if (config.snapshot) return [];
      reader = new SnapshotReader(maxAge, snapshotProducers(context));
      return [reader];
    },
    routes(): Route[] {
      return health.routes();
    },
    start(ctx: PluginContext) {
      const anomaly = ctx.getPlugin('anomaly') as (OtelPerfPlugin & Partial<AlertSource>) | undefined;
      if (!config.alerts && anomaly && typeof anomaly.activeAlerts === 'function') {
        const source = anomaly as AlertSource;
        health.addCheck(anomalyAlertsCheck(() => source.activeAlerts()));
      }
      stopMetrics = recordHealthMetrics(health, ctx.meterProvider);
      health.start();
    },
    async shutdown() {
      stopMetrics?.();
      health.close();
    },
  };
}
