'use strict';
// For preload fixtures (`node --require ./preload.cjs app.js`), which run without vitest or TypeScript: one
// MeterProvider, like the distro's, with the given instrumentations registered before the app loads anything.
const {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} = require('@opentelemetry/sdk-metrics');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');

/**
 * Registers `instrumentations` on a fresh MeterProvider and returns `dump()`: flushes and returns what the
 * reader saw, `{ [metric name]: [{ attributes, value }] }`; with `shutdown: true` it then shuts the provider
 * down.
 */
function preloadMetrics(instrumentations, { shutdown = false } = {}) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  registerInstrumentations({ instrumentations, meterProvider });
  return async () => {
    await reader.forceFlush();
    const all = exporter.getMetrics();
    const last = all[all.length - 1];
    const out = {};
    for (const scope of last?.scopeMetrics ?? []) {
      for (const m of scope.metrics) {
        out[m.descriptor.name] = m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value }));
      }
    }
    if (shutdown) await meterProvider.shutdown();
    return out;
  };
}

module.exports = { preloadMetrics };
