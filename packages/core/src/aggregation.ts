import type { Attributes, HrTime, ValueType } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type AggregationTemporalitySelector,
  type CollectionResult,
  DataPointType,
  type HistogramMetricData,
  InstrumentType,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { type CreateViewsOptions, OVERFLOW_ATTRIBUTES, resolveBuckets } from '@otel-perf/views';

/**
 * The fast path: explicit-bucket histograms aggregated inside the instrumentation (no attribute hashing per
 * recording: series are found by the identity of the cached, frozen attribute sets) and handed to readers
 * through the SDK's public `MetricProducer` interface, one producer per reader (a producer knows the
 * temporality of its reader and keeps that reader's delta state). Shared by the instrumentations that offer a
 * `fastPath` (http, pg).
 */

/**
 * The view settings a fast path applies itself (the SDK's views do not see its histograms): the same options
 * as `createViews` from `@otel-perf/views`; only the entries of the instrumentation's own histograms are used.
 */
export type FastPathViewsOptions = Pick<
  CreateViewsOptions,
  'buckets' | 'attributes' | 'maxSeriesPerInstrument' | 'cardinalityLimit'
>;

/** What one histogram emits: the SDK instrument's name, description, unit and value type. */
export interface HistogramDescriptor {
  name: string;
  description: string;
  unit: string;
  valueType: ValueType;
  /** The instrument's bucket advice (the defaults), as the SDK's descriptor carries it. */
  advice: { explicitBucketBoundaries: number[] };
}

/** Per-instrument view settings, resolved from `@otel-perf/views` options. */
export interface HistogramViewSettings {
  boundaries: readonly number[];
  /** Attribute allow-list; undefined keeps every attribute. */
  allow: ReadonlySet<string> | undefined;
  /** The most series before new attribute sets go to the `otel.metric.overflow` series. */
  maxSeries: number;
}

/** Options of a producer: the temporality selector of the reader it is handed to. */
export interface FastMetricProducerOptions {
  /**
   * The reader's temporality selector (the same function or value the reader itself uses), asked for
   * `InstrumentType.HISTOGRAM` once, when the producer is created.
   * @default cumulative (the SDK default)
   */
  aggregationTemporalitySelector?: AggregationTemporalitySelector;
}

function nowHr(): HrTime {
  const ms = performance.timeOrigin + performance.now();
  const s = Math.trunc(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
}

/** One attribute set of one histogram: cumulative state, plus interval min/max per delta reader slot. */
class Series {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly counts: Float64Array;
  /** Interval min/max of each delta producer (by slot), reset at that producer's collection. */
  dmin: Float64Array;
  dmax: Float64Array;
  constructor(
    readonly attributes: Attributes,
    buckets: number,
    slots: number,
    readonly start: HrTime,
  ) {
    this.counts = new Float64Array(buckets + 1);
    this.dmin = new Float64Array(slots).fill(Number.POSITIVE_INFINITY);
    this.dmax = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
  }
}

/** A delta producer's last reported cumulative state of a series. */
interface Reported {
  count: number;
  sum: number;
  counts: Float64Array;
}

/** Sorted `name=value` pairs: the same identity the SDK and the views' cardinality guard use. */
function seriesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  let key = '';
  for (const k of keys) key += `${JSON.stringify(k)}:${JSON.stringify(attributes[k] ?? null)},`;
  return key;
}

/** One histogram of the fast path. */
export class FastHistogram {
  private readonly byIdentity = new WeakMap<Attributes, Series>();
  private readonly byKey = new Map<string, Series>();
  private overflow: Series | undefined;
  /** All series, in creation order (at most maxSeries + the overflow series). */
  readonly series: Series[] = [];
  private readonly bounds: Float64Array;

  constructor(
    readonly descriptor: HistogramDescriptor,
    readonly view: HistogramViewSettings,
    private readonly registry: ProducerRegistry,
  ) {
    this.bounds = Float64Array.from(view.boundaries);
  }

  /** Records one value; `attributes` should be a frozen, cached set (found again by identity). */
  record(value: number, attributes: Attributes): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
    let s = this.byIdentity.get(attributes);
    if (s === undefined) {
      s = this.resolve(attributes);
      this.byIdentity.set(attributes, s);
    }
    s.count++;
    s.sum += value;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
    const b = this.bounds;
    let lo = 0;
    let hi = b.length;
    // First boundary >= value (upper bound inclusive, as the SDK does); past the last: the +Inf bucket.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((b[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    s.counts[lo] = (s.counts[lo] as number) + 1;
    const slots = this.registry.deltaSlots;
    if (slots > 0) {
      if (s.dmin.length < slots) this.grow(s, slots);
      const dmin = s.dmin;
      const dmax = s.dmax;
      for (let i = 0; i < slots; i++) {
        if (value < (dmin[i] as number)) dmin[i] = value;
        if (value > (dmax[i] as number)) dmax[i] = value;
      }
    }
  }

  private grow(s: Series, slots: number): void {
    const dmin = new Float64Array(slots).fill(Number.POSITIVE_INFINITY);
    const dmax = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
    dmin.set(s.dmin);
    dmax.set(s.dmax);
    s.dmin = dmin;
    s.dmax = dmax;
  }

  /** The series of an attribute set not seen by identity: allow-list, then key, then the series cap. */
  private resolve(incoming: Attributes): Series {
    let filtered = incoming;
    const allow = this.view.allow;
    if (allow !== undefined) {
      filtered = {};
      for (const k in incoming) if (allow.has(k) && Object.hasOwn(incoming, k)) filtered[k] = incoming[k];
    }
    const key = seriesKey(filtered);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    if (this.byKey.size >= this.view.maxSeries) {
      this.overflow ??= this.create(OVERFLOW_ATTRIBUTES);
      return this.overflow;
    }
    const s = this.create(Object.freeze(filtered === incoming ? { ...filtered } : filtered));
    this.byKey.set(key, s);
    return s;
  }

  private create(attributes: Attributes): Series {
    const s = new Series(attributes, this.bounds.length, this.registry.deltaSlots, nowHr());
    this.series.push(s);
    return s;
  }
}

/** Counts delta producers (each gets a slot for its interval min/max). */
export class ProducerRegistry {
  deltaSlots = 0;
}

/** The producer handed to one reader. */
class FastMetricProducer implements MetricProducer {
  private readonly temporality: AggregationTemporality;
  private readonly slot: number;
  private readonly reported = new Map<Series, Reported>();
  private lastCollection: HrTime;

  constructor(
    private readonly source: () => readonly FastHistogram[],
    private readonly scope: { name: string; version: string },
    registry: ProducerRegistry,
    options: FastMetricProducerOptions,
  ) {
    const selected = options.aggregationTemporalitySelector?.(InstrumentType.HISTOGRAM);
    this.temporality =
      selected === AggregationTemporality.DELTA
        ? AggregationTemporality.DELTA
        : AggregationTemporality.CUMULATIVE;
    this.slot = this.temporality === AggregationTemporality.DELTA ? registry.deltaSlots++ : -1;
    this.lastCollection = nowHr();
  }

  async collect(): Promise<CollectionResult> {
    const errors: unknown[] = [];
    const metrics: HistogramMetricData[] = [];
    const end = nowHr();
    try {
      for (const h of this.source()) {
        const data =
          this.temporality === AggregationTemporality.DELTA ? this.delta(h, end) : this.cumulative(h, end);
        if (data.dataPoints.length > 0) metrics.push(data);
      }
    } catch (err) {
      errors.push(err);
    }
    this.lastCollection = end;
    return {
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: metrics.length > 0 ? [{ scope: this.scope, metrics }] : [],
      },
      errors,
    };
  }

  private metric(h: FastHistogram): HistogramMetricData {
    const d = h.descriptor;
    return {
      descriptor: {
        name: d.name,
        description: d.description,
        unit: d.unit,
        type: InstrumentType.HISTOGRAM,
        valueType: d.valueType,
        advice: { explicitBucketBoundaries: [...d.advice.explicitBucketBoundaries] },
      } as HistogramMetricData['descriptor'],
      aggregationTemporality: this.temporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [],
    };
  }

  private cumulative(h: FastHistogram, end: HrTime): HistogramMetricData {
    const out = this.metric(h);
    const boundaries = [...h.view.boundaries];
    for (const s of h.series) {
      if (s.count === 0) continue;
      out.dataPoints.push({
        attributes: s.attributes,
        startTime: s.start,
        endTime: end,
        value: {
          buckets: { boundaries, counts: Array.from(s.counts) },
          count: s.count,
          sum: s.sum,
          min: s.min,
          max: s.max,
        },
      });
    }
    return out;
  }

  private delta(h: FastHistogram, end: HrTime): HistogramMetricData {
    const out = this.metric(h);
    const boundaries = [...h.view.boundaries];
    const slot = this.slot;
    for (const s of h.series) {
      let last = this.reported.get(s);
      const count = s.count - (last?.count ?? 0);
      if (count === 0) continue;
      const counts = Array.from(s.counts);
      if (last !== undefined) {
        const prev = last.counts;
        for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) - (prev[i] as number);
      }
      const hasSlot = slot < s.dmin.length;
      const min = hasSlot ? (s.dmin[slot] as number) : s.min;
      const max = hasSlot ? (s.dmax[slot] as number) : s.max;
      out.dataPoints.push({
        attributes: s.attributes,
        // A stream reported before starts at this reader's previous collection (as the SDK's delta does).
        startTime: last !== undefined ? this.lastCollection : later(s.start, this.lastCollection),
        endTime: end,
        value: { buckets: { boundaries, counts }, count, sum: s.sum - (last?.sum ?? 0), min, max },
      });
      if (hasSlot) {
        s.dmin[slot] = Number.POSITIVE_INFINITY;
        s.dmax[slot] = Number.NEGATIVE_INFINITY;
      }
      if (last === undefined) {
        last = { count: 0, sum: 0, counts: new Float64Array(s.counts.length) };
        this.reported.set(s, last);
      }
      last.count = s.count;
      last.sum = s.sum;
      last.counts.set(s.counts);
    }
    return out;
  }
}

function later(a: HrTime, b: HrTime): HrTime {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]) ? a : b;
}

/** One instrumentation's fast path: its producer registry, and a producer per reader over its histograms. */
export class FastPath {
  readonly registry = new ProducerRegistry();

  constructor(
    private readonly scope: { name: string; version: string },
    private readonly histograms: () => readonly FastHistogram[],
  ) {}

  /** A new producer for one reader over the current histograms (it keeps that reader's delta state). */
  producer(options: FastMetricProducerOptions = {}): MetricProducer {
    return new FastMetricProducer(this.histograms, this.scope, this.registry, options);
  }
}

/** The SDK's default per-collection series limit (`aggregationCardinalityLimit`). */
const SDK_CARDINALITY_LIMIT = 2000;

/** A fast-path histogram with the views applied as `createViews` would (buckets, allow-list, series cap). */
export function createFastHistogram(
  descriptor: HistogramDescriptor,
  views: FastPathViewsOptions,
  registry: ProducerRegistry,
): FastHistogram {
  const name = descriptor.name;
  const override = views.buckets?.[name];
  const allow = views.attributes?.[name];
  // createViews' guard caps series at maxSeriesPerInstrument; the SDK's limit keeps limit - 1 series plus
  // the overflow series per collection: the stricter of the two applies.
  const limit = (views.cardinalityLimit ?? SDK_CARDINALITY_LIMIT) - 1;
  const maxSeries = Math.max(1, Math.min(views.maxSeriesPerInstrument ?? limit, limit));
  const defaults = descriptor.advice.explicitBucketBoundaries;
  return new FastHistogram(
    { ...descriptor, advice: { explicitBucketBoundaries: [...defaults] } },
    {
      boundaries:
        override === undefined ? [...defaults] : resolveBuckets(override, `views.buckets["${name}"]`),
      allow: allow === undefined ? undefined : new Set(allow),
      maxSeries,
    },
    registry,
  );
}
