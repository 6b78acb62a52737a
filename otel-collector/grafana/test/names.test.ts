import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { createTestMetrics } from '@otel-perf/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
// The distro's own renaming (unit suffixes) before its Prometheus serializer: what `/metrics` serves.
import { addUnitSuffixes } from '../../../packages/node/src/prometheus.ts';
import { ALL_METRICS, label } from '../src/metrics.ts';

const TYPES = { counter: 'counter', updowncounter: 'gauge', gauge: 'gauge', histogram: 'histogram' } as const;

describe('metric names as Prometheus sees them', () => {
  const metrics = createTestMetrics();
  afterAll(() => metrics.shutdown());

  it('every catalog name is the name the distro exposes, with its type', async () => {
    const meter = metrics.meterProvider.getMeter('grafana-dashboards-test');
    const attrs = { 'http.route': '/users/:id', 'circuit_breaker.call.outcome': 'success' };
    for (const m of ALL_METRICS) {
      const options = { unit: m.unit };
      if (m.kind === 'counter') meter.createCounter(m.otel, options).add(1, attrs);
      else if (m.kind === 'updowncounter') meter.createUpDownCounter(m.otel, options).add(1, attrs);
      else if (m.kind === 'gauge') meter.createGauge(m.otel, options).record(1, attrs);
      else meter.createHistogram(m.otel, options).record(0.1, attrs);
    }
    const text = new PrometheusSerializer().serialize(addUnitSuffixes(await metrics.collect()));
    const exposed = new Map(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const),
    );
    for (const m of ALL_METRICS) {
      expect(exposed.get(m.prom), `${m.otel} → ${m.prom}`).toBe(TYPES[m.kind]);
    }
    expect(text).toContain(`${label('http.route')}="/users/:id"`);
    expect(text).toContain(`${label('circuit_breaker.call.outcome')}="success"`);
  });
});
