import type { MeterProvider as ApiMeterProvider, Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  type MetricData,
  type MetricProducer,
  MetricReader,
  type ResourceMetrics,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';

/** A pull reader for tests: `collect()` returns what a real exporter would receive. */
export class TestMetricReader extends MetricReader {
  constructor(
    temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
    metricProducers?: MetricProducer[],
  ) {
    super({ aggregationTemporalitySelector: () => temporality, metricProducers });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A MeterProvider wired to one or more real readers, with helpers to read metrics back by name. */
export interface TestMetrics {
  meterProvider: MeterProvider & ApiMeterProvider;
  reader: TestMetricReader;
  /** Collects through `reader` and fails the test if the SDK reported collection errors. */
  collect(reader?: TestMetricReader): Promise<ResourceMetrics>;
  /** Collects and returns the metric with this name, or undefined. */
  find(name: string, reader?: TestMetricReader): Promise<MetricData | undefined>;
  shutdown(): Promise<void>;
}

export interface TestMetricsOptions {
  views?: ViewOptions[];
  temporality?: AggregationTemporality;
  /** Extra readers on the same provider (for two-reader tests). */
  extraReaders?: TestMetricReader[];
}

/** What {@link withInstrumentation} needs of an instrumentation. */
export interface MeterConsumer {
  setMeterProvider(meterProvider: ApiMeterProvider): void;
  disable(): void;
}

/** A real MeterProvider + pull reader(s) with an instrumentation set on it. */
export interface Instrumented<I extends MeterConsumer> {
  metrics: TestMetrics;
  instrumentation: I;
  /** Disables the instrumentation and shuts the provider down. */
  cleanup(): Promise<void>;
}

/** Sets `instrumentation` on a fresh {@link createTestMetrics} provider; `cleanup` undoes both. */
export function withInstrumentation<I extends MeterConsumer>(
  instrumentation: I,
  options: TestMetricsOptions = {},
): Instrumented<I> {
  const metrics = createTestMetrics(options);
  instrumentation.setMeterProvider(metrics.meterProvider);
  return {
    metrics,
    instrumentation,
    async cleanup() {
      instrumentation.disable();
      await metrics.shutdown();
    },
  };
}

let seq = 0;
/** A name unique to this test process (package registries are process-wide and their counts never go down). */
export const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${++seq}`;

export function createTestMetrics(options: TestMetricsOptions = {}): TestMetrics {
  const reader = new TestMetricReader(options.temporality);
  const meterProvider = new MeterProvider({
    views: options.views ?? [],
    readers: [reader, ...(options.extraReaders ?? [])],
  });
  const collect = async (r: TestMetricReader = reader) => {
    const { resourceMetrics, errors } = await r.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection reported errors');
    return resourceMetrics;
  };
  return {
    meterProvider,
    reader,
    collect,
    async find(name, r) {
      return findMetric(await collect(r), name);
    },
    shutdown: () => meterProvider.shutdown(),
  };
}

/** Every metric in a collection, flattened across scopes. */
export function allMetrics(rm: ResourceMetrics): MetricData[] {
  return rm.scopeMetrics.flatMap((s) => s.metrics);
}

/** The metric with this descriptor name, or undefined. */
export function findMetric(rm: ResourceMetrics, name: string): MetricData | undefined {
  return allMetrics(rm).find((m) => m.descriptor.name === name);
}

/** True when every key of `subset` is present in `attrs` with the same value. */
export function attributesMatch(attrs: Attributes, subset: Attributes): boolean {
  return Object.entries(subset).every(([k, v]) => attrs[k] === v);
}

/** The data points of `metric` whose attributes include `subset`. */
export function pointsWith<T = unknown>(
  metric: MetricData | undefined,
  subset: Attributes = {},
): DataPoint<T>[] {
  if (!metric) return [];
  return (metric.dataPoints as DataPoint<T>[]).filter((p) => attributesMatch(p.attributes, subset));
}

/** The single data point matching `subset`; throws if there is not exactly one. */
export function onePoint<T = unknown>(metric: MetricData | undefined, subset: Attributes = {}): DataPoint<T> {
  const pts = pointsWith<T>(metric, subset);
  if (pts.length !== 1) {
    throw new Error(
      `expected one point of ${metric?.descriptor.name ?? '<missing metric>'} with ${JSON.stringify(subset)}, found ${pts.length}: ${JSON.stringify(
        pointsWith(metric).map((p) => p.attributes),
      )}`,
    );
  }
  return pts[0] as DataPoint<T>;
}

/** Sum of a counter/up-down-counter/gauge's values over the points matching `subset`. */
export function sumValues(metric: MetricData | undefined, subset: Attributes = {}): number {
  return pointsWith<number>(metric, subset).reduce((acc, p) => acc + p.value, 0);
}

/** The histogram value of the single point matching `subset`. */
export function histogramOf(metric: MetricData | undefined, subset: Attributes = {}): Histogram {
  return onePoint<Histogram>(metric, subset).value;
}
