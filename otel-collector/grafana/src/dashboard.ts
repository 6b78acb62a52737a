/**
 * What every otel-perf dashboard shares: the `datasource`, `job` and `instance` variables, links between the
 * dashboards, the firing-alerts annotation, time settings and tags.
 */
import {
  AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE, Layout } from './panels.ts';

/** The tag every otel-perf dashboard carries; the dashboard links list dashboards by it. */
export const TAG = 'otel-perf';

/** A label-values variable: multi-select, `All` = `.*`, refreshed when the time range changes. */
export function labelVariable(
  name: string,
  label: string,
  selector: string,
  labelName: string,
): QueryVariableBuilder {
  const query = `label_values(${selector}, ${labelName})`;
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalCaseInsensitiveAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

/**
 * Which of the Collector's paths to read (`scrape` or `remote_write`): one value, never both, since the same
 * series arrives by each. Empty when the services are scraped directly (no `ingest_path` label).
 */
function ingestPathVariable(): QueryVariableBuilder {
  const query = 'label_values(target_info{job=~"$job"}, ingest_path)';
  return new QueryVariableBuilder('ingest_path')
    .label('Collector path')
    .description(
      'The Collector delivers every series twice (ingest_path="scrape" and "remote_write"): pick one. Series scraped directly from a service have no ingest_path and are always shown.',
    )
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(false)
    .includeAll(false);
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Variables after `datasource`, `job`, `instance`, `ingest_path` (they may use those). */
  variables?: QueryVariableBuilder[];
}

/** A dashboard with the shared variables, links and annotations, and the layout to add its panels with. */
export function newDashboard(spec: DashboardSpec): { builder: DashboardBuilder; layout: Layout } {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG, ...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .link(
      new DashboardLinkBuilder('otel-perf')
        .type(DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('Annotations & Alerts')
        .builtIn(1)
        .datasource({ type: 'grafana', uid: '-- Grafana --' })
        .enable(true)
        .hide(true)
        .iconColor('rgba(0, 211, 255, 1)')
        .type('dashboard'),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('Firing alerts')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('red')
        .expr('ALERTS{alertstate="firing", job=~"$job"}')
        .step('60s')
        .titleFormat('{{alertname}}')
        .textFormat('{{severity}} {{instance}}')
        .tagKeys('alertname,severity'),
    )
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(labelVariable('job', 'Service (job)', 'target_info', 'job'))
    .withVariable(labelVariable('instance', 'Instance', 'target_info{job=~"$job"}', 'instance'))
    .withVariable(ingestPathVariable());
  for (const v of spec.variables ?? []) builder.withVariable(v);
  return { builder, layout: new Layout(builder) };
}

/** The dashboard model, ready for `JSON.stringify`. */
export function build(builder: DashboardBuilder): Dashboard {
  return builder.build();
}
