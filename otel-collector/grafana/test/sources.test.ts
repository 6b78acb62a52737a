/**
 * The catalog against the packages that emit the metrics: same OpenTelemetry names, and where a package
 * publishes its metrics table (name, instrument, unit), the same instrument kind and unit, so the derived
 * Prometheus name is the one the package's metrics really get.
 */
import {
  ANOMALY_METRICS,
  ATTR_ANOMALY_LEVEL,
  ATTR_ANOMALY_RULE,
  ATTR_ANOMALY_SIGNAL,
} from '@otel-perf/anomaly';
import { HEALTH_METRICS } from '@otel-perf/health';
import { CACHE_METRICS } from '@otel-perf/instrumentation-cache';
import { CIRCUIT_BREAKER_METRICS } from '@otel-perf/instrumentation-circuit-breaker';
import {
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@otel-perf/instrumentation-http';
import { PG_METRICS } from '@otel-perf/instrumentation-pg';
import { RUNTIME_METRICS } from '@otel-perf/instrumentation-runtime';
import { describe, expect, it } from 'vitest';
import { anomaliesDashboard } from '../src/dashboards/anomalies.ts';
import {
  ANOMALY,
  BREAKER,
  CACHE,
  DB,
  HEALTH,
  HTTP,
  type InstrumentKind,
  label,
  type Metric,
  RUNTIME,
} from '../src/metrics.ts';

/** A package's metrics-table row, as the instrumentation packages publish it. */
interface Descriptor {
  readonly name: string;
  readonly instrument: string;
  readonly unit: string;
}

const KINDS: Record<string, InstrumentKind> = {
  Counter: 'counter',
  ObservableCounter: 'counter',
  UpDownCounter: 'updowncounter',
  ObservableUpDownCounter: 'updowncounter',
  Gauge: 'gauge',
  ObservableGauge: 'gauge',
  Histogram: 'histogram',
};

function expectMatches(group: Readonly<Record<string, Metric>>, table: readonly Descriptor[]): void {
  for (const m of Object.values(group)) {
    const row = table.find((d) => d.name === m.otel);
    expect(row, `${m.otel} is in the package's metrics table`).toBeDefined();
    expect({ kind: KINDS[row?.instrument ?? ''], unit: row?.unit }, m.otel).toEqual({
      kind: m.kind,
      unit: m.unit,
    });
  }
}

describe('metric catalog against the emitting packages', () => {
  it('circuit breaker: names, instruments and units of CIRCUIT_BREAKER_METRICS', () => {
    expectMatches(BREAKER, CIRCUIT_BREAKER_METRICS);
  });

  it('cache: names, instruments and units of CACHE_METRICS', () => {
    expectMatches(CACHE, CACHE_METRICS);
  });

  it('pg: names, instruments and units of PG_METRICS', () => {
    expectMatches(DB, PG_METRICS);
  });

  it('runtime: names, instruments and units of RUNTIME_METRICS', () => {
    expectMatches(RUNTIME, RUNTIME_METRICS);
  });

  it('anomaly: the names and attribute labels @otel-perf/anomaly exports', () => {
    for (const m of Object.values(ANOMALY)) expect(ANOMALY_METRICS as readonly string[]).toContain(m.otel);
    const json = JSON.stringify(anomaliesDashboard());
    for (const a of [ATTR_ANOMALY_LEVEL, ATTR_ANOMALY_SIGNAL, ATTR_ANOMALY_RULE])
      expect(json).toContain(label(a));
  });

  it('HTTP: the names @otel-perf/instrumentation-http exports', () => {
    expect(HTTP.serverDuration.otel).toBe(METRIC_HTTP_SERVER_REQUEST_DURATION);
    expect(HTTP.serverActive.otel).toBe(METRIC_HTTP_SERVER_ACTIVE_REQUESTS);
    expect(HTTP.clientDuration.otel).toBe(METRIC_HTTP_CLIENT_REQUEST_DURATION);
  });

  it('health: the names @otel-perf/health exports', () => {
    for (const m of Object.values(HEALTH)) expect(HEALTH_METRICS as readonly string[]).toContain(m.otel);
  });
});
