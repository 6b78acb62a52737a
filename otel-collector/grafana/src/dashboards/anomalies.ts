/**
 * Anomalies and alerts: what the in-process anomaly processor says (active alerts by level, the score of each
 * watched signal, alerts fired by rule), what Prometheus' alerting rules say (`ALERTS`), and the health scores
 * and checks of each process.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, newDashboard } from '../dashboard.ts';
import { ANOMALY, HEALTH, label } from '../metrics.ts';
import { q, statPanel, steps, tablePanel, timeseriesPanel, valueText } from '../panels.ts';
import { maxOf, orZero, series, sumIncrease, sumOf } from '../query.ts';

const LEVEL = label('otel_perf.anomaly.level');
const SIGNAL = label('otel_perf.anomaly.signal');
const RULE = label('otel_perf.anomaly.rule');
const COMPONENT = label('otel_perf.health.component');
const CHECK = label('otel_perf.health.check');
const BY_INSTANCE = ['instance'];
const OVERALL = `${COMPONENT}="_overall"`;

/** Alerts of Prometheus' rules for the selected services (alerts without a `job` label match `All` only). */
const ALERTS = (state: string) => `ALERTS{alertstate=~"${state}", job=~"$job"}`;

export function anomaliesDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-anomalies',
    title: 'otel-perf / Anomalies and alerts',
    description:
      'The in-process anomaly processor (otel_perf.anomaly.*), Prometheus alerting rules (ALERTS) and health scores (otel_perf.health.*).',
    tags: ['anomaly', 'alerts', 'health'],
  });

  layout
    .row('Now')
    .panel(
      statPanel({
        title: 'Critical anomalies',
        description: 'Anomaly alerts firing now and not silenced, level critical, every selected process.',
        query: q(sumOf(series(ANOMALY.alertsActive, `${LEVEL}="critical"`))),
        thresholds: steps('green', [1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Warning anomalies',
        description: 'Anomaly alerts firing now, level warning.',
        query: q(sumOf(series(ANOMALY.alertsActive, `${LEVEL}="warning"`))),
        thresholds: steps('green', [1, 'orange']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Prometheus alerts firing',
        description: 'Alerting rules firing now (the ALERTS series).',
        query: q(orZero(`count(${ALERTS('firing')})`)),
        thresholds: steps('green', [1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Lowest health score',
        description: 'The lowest overall health score (0–100) among the selected processes.',
        unit: 'none',
        query: q(`min(${series(HEALTH.score, OVERALL)})`),
        thresholds: steps('red', [50, 'orange'], [80, 'green']),
      }),
      6,
      4,
    )
    .row('In-process anomaly detection')
    .panel(
      timeseriesPanel({
        title: 'Active anomaly alerts by level',
        description: 'otel_perf.anomaly.alerts.active: alerts firing and not silenced, by level.',
        stack: true,
        queries: [q(sumOf(series(ANOMALY.alertsActive), [LEVEL]), `{{${LEVEL}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Anomaly score by signal (top 10)',
        description:
          'otel_perf.anomaly.score: the highest detector score (0–1) over the series of each watched signal.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(`topk(10, ${maxOf(series(ANOMALY.score), [SIGNAL])})`, `{{${SIGNAL}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Anomaly alerts fired by rule',
        description: 'Alerts that fired per interval, by rule and level (otel_perf.anomaly.alerts.fired).',
        bars: true,
        queries: [q(sumIncrease(series(ANOMALY.alertsFired), [RULE, LEVEL]), `{{${RULE}}} {{${LEVEL}}}`)],
      }),
      24,
      8,
    )
    .row('Prometheus alerting rules')
    .panel(
      timeseriesPanel({
        title: 'Alerts by name',
        description: 'Alerting rules pending and firing over time.',
        stack: true,
        queries: [
          q(`count by (alertname, severity) (${ALERTS('firing')})`, '{{alertname}} {{severity}} firing'),
          q(`count by (alertname, severity) (${ALERTS('pending')})`, '{{alertname}} {{severity}} pending'),
        ],
      }),
      12,
      8,
    )
    .panel(
      tablePanel({
        title: 'Alerts now',
        description: 'Every alert pending or firing at the end of the range.',
        queries: [
          q(maxOf(ALERTS('firing|pending'), ['alertname', 'alertstate', 'severity', 'job', 'instance'])),
        ],
        columns: { alertname: 'alert', alertstate: 'state' },
        hide: ['Value'],
      }),
      12,
      8,
    )
    .row('Health')
    .panel(
      timeseriesPanel({
        title: 'Health score by component',
        description: 'otel_perf.health.score (0–100) per component and the overall score, per instance.',
        unit: 'none',
        min: 0,
        max: 100,
        queries: [q(sumOf(series(HEALTH.score), ['instance', COMPONENT]), `{{instance}} {{${COMPONENT}}}`)],
      }),
      12,
      8,
    )
    .panel(
      tablePanel({
        title: 'Health checks now',
        description: 'Each check’s status at the end of the range: 1 pass, 0.5 warn, 0 fail, -1 unknown.',
        queries: [q(sumOf(series(HEALTH.checkStatus), ['instance', CHECK]))],
        columns: { [CHECK]: 'check', Value: 'status' },
        mappings: valueText({
          '1': ['pass', 'green'],
          '0.5': ['warn', 'orange'],
          '0': ['fail', 'red'],
          '-1': ['unknown', 'text'],
        }),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Ready',
        description:
          'otel_perf.health.ready per instance: 0 while a dependency is down or the process drains.',
        unit: 'none',
        min: 0,
        max: 1,
        queries: [q(sumOf(series(HEALTH.ready), BY_INSTANCE), '{{instance}}')],
      }),
      24,
      6,
    );

  return build(builder);
}
