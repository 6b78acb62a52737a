/** The OpenTelemetry instrument kinds a metric descriptor can name, as the README metrics tables spell them. */
export type InstrumentKind =
  | 'Counter'
  | 'UpDownCounter'
  | 'Histogram'
  | 'Gauge'
  | 'ObservableCounter'
  | 'ObservableUpDownCounter'
  | 'ObservableGauge';

/**
 * One metric a package emits: the single source for instrument creation and the README table. `K` narrows
 * the instrument kinds to the ones the package creates.
 */
export interface MetricDescriptor<K extends InstrumentKind = InstrumentKind> {
  readonly name: string;
  readonly instrument: K;
  readonly unit: string;
  readonly description: string;
  readonly attributes: readonly string[];
}
