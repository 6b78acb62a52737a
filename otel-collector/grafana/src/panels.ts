/**
 * Panel factories over the Grafana Foundation SDK builders, so every dashboard's panels look alike: the
 * `${datasource}` variable on every panel and query, explicit ids, refIds and grid positions, legends as tables
 * with the last and max values where a series list matters.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  type DashboardBuilder,
  type DataSourceRef,
  type DataTransformerConfig,
  type GridPos,
  MappingType,
  RowBuilder,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel and query reads the data source picked in the `datasource` variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, substituted by Grafana.
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** One PromQL query of a panel. */
export interface Query {
  expr: string;
  /** Legend template (`{{http_route}}`); defaults to Grafana's own series naming. */
  legend?: string;
  /** Evaluate once at the end of the range (tables, stats) instead of over the range. */
  instant?: boolean;
}

/** A query. */
export function q(expr: string, legend?: string, instant = false): Query {
  return legend === undefined ? { expr, instant } : { expr, legend, instant };
}

function target(query: Query, index: number, format: PromQueryFormat): DataqueryBuilder {
  const b = new DataqueryBuilder()
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(query.expr)
    .format(format);
  if (query.legend !== undefined) b.legendFormat(query.legend);
  return query.instant ? b.instant() : b.range();
}

/** Threshold steps from a base color and `[value, color]` pairs. */
export function steps(base: string, ...more: [number, string][]): ThresholdsConfigBuilder {
  const list: Threshold[] = [
    { value: null, color: base },
    ...more.map(([value, color]) => ({ value, color })),
  ];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(list);
}

/** Value → text (and color) mapping. */
export function valueText(entries: Record<string, [text: string, color: string]>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(entries).forEach(([value, [text, color]], index) => {
    options[value] = { text, color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

interface Common {
  title: string;
  description: string;
  unit?: string;
}

export interface TimeseriesOptions extends Common {
  queries: Query[];
  /** Stack the series (shares of a whole: requests by status, connections by state). */
  stack?: boolean;
  bars?: boolean;
  min?: number;
  max?: number;
  thresholds?: ThresholdsConfigBuilder;
}

/** A time series panel with a table legend (last, max). */
export function timeseriesPanel(o: TimeseriesOptions): timeseries.PanelBuilder {
  const b = new timeseries.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .unit(o.unit ?? 'short')
    .lineWidth(1)
    .fillOpacity(o.stack ? 35 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (o.bars) b.drawStyle(common.GraphDrawStyle.Bars);
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.thresholds)
    b.thresholds(o.thresholds).thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  o.queries.forEach((query, i) => {
    b.withTarget(target(query, i, PromQueryFormat.TimeSeries));
  });
  return b;
}

export interface StatOptions extends Common {
  query: Query;
  thresholds?: ThresholdsConfigBuilder;
  mappings?: ValueMapping[];
  decimals?: number;
}

/** A single value (the last one) with a sparkline, colored by thresholds. */
export function statPanel(o: StatOptions): stat.PanelBuilder {
  const b = new stat.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .unit(o.unit ?? 'short')
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(o.thresholds ?? steps('green'))
    .withTarget(target(o.query, 0, PromQueryFormat.TimeSeries));
  if (o.mappings) b.mappings(o.mappings);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  return b;
}

export interface HeatmapOptions extends Common {
  /** A query returning one series per `le` (see `heatmapBuckets`). */
  query: Query;
}

/** A heatmap of histogram buckets as Prometheus stores them (no re-bucketing in Grafana). */
export function heatmapPanel(o: HeatmapOptions): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit(o.unit ?? 's').decimals(3))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Oranges')
        .scale(heatmap.HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64),
    )
    .cellValues(new heatmap.CellValuesBuilder().unit('short'))
    .showLegend()
    .withTarget(target({ ...o.query, legend: '{{le}}' }, 0, PromQueryFormat.Heatmap));
}

export interface TableOptions extends Common {
  /** Instant queries in table format; joined on their common labels. */
  queries: Query[];
  /** Column renames (`Value #A` → `req/s`) and hidden columns. */
  columns: Record<string, string>;
  hide?: string[];
  mappings?: ValueMapping[];
  /** Units of columns that differ from `unit`, by their (renamed) column name. */
  columnUnits?: Record<string, string>;
}

/** A table of instant queries joined on their labels (one row per label set). */
export function tablePanel(o: TableOptions): table.PanelBuilder {
  const transformations: DataTransformerConfig[] = [
    { id: 'merge', options: {} },
    {
      id: 'organize',
      options: {
        excludeByName: Object.fromEntries(['Time', ...(o.hide ?? [])].map((c) => [c, true])),
        renameByName: o.columns,
      },
    },
  ];
  const b = new table.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .unit(o.unit ?? 'short')
    .transformations(transformations);
  if (o.mappings) b.mappings(o.mappings);
  for (const [column, unit] of Object.entries(o.columnUnits ?? {})) {
    b.overrideByName(column, [{ id: 'unit', value: unit }]);
  }
  o.queries.forEach((query, i) => {
    b.withTarget(target({ ...query, instant: true }, i, PromQueryFormat.Table));
  });
  return b;
}

export interface StateTimelineOptions extends Common {
  queries: Query[];
  mappings: ValueMapping[];
}

/** One row per series, colored by mapped state values. */
export function stateTimelinePanel(o: StateTimelineOptions): statetimeline.PanelBuilder {
  const b = new statetimeline.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .mappings(o.mappings)
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8)
    .fillOpacity(80)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  o.queries.forEach((query, i) => {
    b.withTarget(target(query, i, PromQueryFormat.TimeSeries));
  });
  return b;
}

/** A builder that takes a panel id and grid position. */
interface Placeable {
  id(id: number): unknown;
  gridPos(pos: GridPos): unknown;
}

/**
 * Lays panels out left to right on Grafana's 24-column grid, wrapping to a new line, with a row header per
 * section; ids count up from 1 in layout order, so the JSON is stable.
 */
export class Layout {
  private nextId = 1;
  private x = 0;
  private y = 0;
  private lineHeight = 0;
  private readonly dashboard: DashboardBuilder;

  constructor(dashboard: DashboardBuilder) {
    this.dashboard = dashboard;
  }

  /** A section header (expanded row); the panels added after it belong to it. */
  row(title: string): this {
    this.newLine();
    this.dashboard.withRow(
      new RowBuilder(title)
        .id(this.nextId++)
        .gridPos({ x: 0, y: this.y, w: 24, h: 1 })
        .collapsed(false),
    );
    this.y += 1;
    return this;
  }

  /** A panel `w` columns wide and `h` units high. */
  panel<T extends Placeable & Parameters<DashboardBuilder['withPanel']>[0]>(
    builder: T,
    w: number,
    h: number,
  ): this {
    if (this.x + w > 24) this.newLine();
    builder.id(this.nextId++);
    builder.gridPos({ x: this.x, y: this.y, w, h });
    this.dashboard.withPanel(builder);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    if (this.x >= 24) this.newLine();
    return this;
  }

  private newLine(): void {
    if (this.x === 0 && this.lineHeight === 0) return;
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
