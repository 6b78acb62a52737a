import type { OtelPerfPlugin, PluginContext } from '@otel-perf/core';
import { createTestMetrics, findMetric, onePoint, sumValues } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HealthPlugin,
  healthPlugin,
  METRIC_HEALTH_CHECK_DURATION,
  METRIC_HEALTH_CHECK_STATUS,
  METRIC_HEALTH_READY,
  METRIC_HEALTH_SCORE,
} from '../src/index.js';

let plugin: HealthPlugin | undefined;
afterEach(async () => {
  await plugin?.shutdown?.();
  plugin = undefined;
});

/** Starts the plugin the way the distro does: its readers on the provider, then start(ctx). */
function startPlugin(p: HealthPlugin, others: OtelPerfPlugin[] = []) {
  const tm = createTestMetrics({ extraReaders: (p.readers?.() ?? []) as never[] });
  const ctx: PluginContext = {
    meterProvider: tm.meterProvider,
    getPlugin: <T extends OtelPerfPlugin>(name: string) =>
      others.find((o) => o.name === name) as T | undefined,
    serverUrl: () => undefined,
  };
  void p.start?.(ctx);
  return tm;
}

describe('health plugin', () => {
  it('reads pg pool metrics from the provider through its own reader and scores the pool', async () => {
    plugin = healthPlugin({ disable: ['eventloop:delay', 'memory:heap'], snapshotMaxAgeMs: 0 });
    const tm = startPlugin(plugin);
    const meter = tm.meterProvider.getMeter('pg-like');
    let pending = 0;
    meter
      .createObservableUpDownCounter('db.client.connection.pending_requests')
      .addCallback((o) => o.observe(pending, { 'db.client.connection.pool.name': 'main' }));
    meter
      .createObservableUpDownCounter('db.client.connection.max')
      .addCallback((o) => o.observe(10, { 'db.client.connection.pool.name': 'main' }));
    const timeouts = meter.createCounter('db.client.connection.timeouts');
    timeouts.add(0, { 'db.client.connection.pool.name': 'main' });

    const first = await plugin.health.evaluate('performance');
    expect(first.checks['postgres:pool']).toMatchObject({ status: 'pass', score: 100 });

    pending = 8; // 0.8 waiting per connection: between warn (0.5) and fail (2)
    const second = await plugin.health.evaluate('performance');
    expect(second.checks['postgres:pool']?.status).toBe('warn');
    expect(second.checks['postgres:pool']?.observedValue).toBe(8);

    timeouts.add(2, { 'db.client.connection.pool.name': 'main' });
    const third = await plugin.health.evaluate('performance');
    expect(third.checks['postgres:pool']).toMatchObject({ status: 'fail', observedValue: 2 });
  });

  it('leaves metric-based checks out while their metrics are absent', async () => {
    plugin = healthPlugin();
    startPlugin(plugin);
    const report = await plugin.health.evaluate('performance');
    expect(Object.keys(report.checks).sort()).toEqual(['eventloop:delay', 'memory:heap']);
  });

  it('checks active alerts of the anomaly plugin when it runs', async () => {
    const alerts: { level: string }[] = [];
    const anomaly = { name: 'anomaly', activeAlerts: () => alerts } as OtelPerfPlugin;
    plugin = healthPlugin({ disable: ['eventloop:delay', 'memory:heap'] });
    startPlugin(plugin, [anomaly]);
    expect((await plugin.health.evaluate()).checks['anomaly:alerts']?.status).toBe('pass');
    alerts.push({ level: 'warning' });
    expect((await plugin.health.evaluate()).checks['anomaly:alerts']?.status).toBe('warn');
    alerts.push({ level: 'critical' });
    const r = await plugin.health.evaluate();
    expect(r.checks['anomaly:alerts']).toMatchObject({ status: 'fail', observedValue: 2 });
  });

  it('records check status, duration, scores and readiness as metrics', async () => {
    plugin = healthPlugin({
      disable: ['eventloop:delay'],
      checks: [
        {
          component: 'db',
          measurement: 'ping',
          ready: true,
          run: () => ({ status: 'fail', output: 'down' }),
        },
      ],
    });
    const tm = startPlugin(plugin);
    await plugin.health.evaluate('performance');
    const rm = await tm.collect();
    const status = findMetric(rm, METRIC_HEALTH_CHECK_STATUS);
    expect(onePoint<number>(status, { 'otel_perf.health.check': 'db:ping' }).value).toBe(0);
    expect(onePoint<number>(status, { 'otel_perf.health.check': 'memory:heap' }).value).toBe(1);
    const score = findMetric(rm, METRIC_HEALTH_SCORE);
    expect(onePoint<number>(score, { 'otel_perf.health.component': 'db' }).value).toBe(0);
    expect(onePoint<number>(score, { 'otel_perf.health.component': 'memory' }).value).toBe(100);
    expect(onePoint<number>(score, { 'otel_perf.health.component': '_overall' }).value).toBe(50);
    expect(sumValues(findMetric(rm, METRIC_HEALTH_READY))).toBe(0);
    const duration = findMetric(rm, METRIC_HEALTH_CHECK_DURATION);
    expect(onePoint<{ count: number }>(duration, { 'otel_perf.health.check': 'db:ping' }).value.count).toBe(
      1,
    );
  });
});
