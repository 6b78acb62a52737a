import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  findMetric,
  histogramOf,
  pointsWith,
  type TestMetricReader,
  type TestMetrics,
  uniqueName,
  withInstrumentation,
} from '@otel-perf/test-utils';
import {
  ATTR_CACHE_EVICTION_CAUSE,
  ATTR_CACHE_LAYER,
  ATTR_CACHE_LOAD_RESULT,
  ATTR_CACHE_NAME,
  ATTR_CACHE_OPERATION,
  ATTR_CACHE_PATH,
  ATTR_CACHE_RESULT,
  ATTR_ERROR_TYPE,
  CacheInstrumentation,
  METRIC_CACHE_ENTRIES,
  METRIC_CACHE_ERRORS,
  METRIC_CACHE_EVICTIONS,
  METRIC_CACHE_GETS,
  METRIC_CACHE_LOADS,
  METRIC_CACHE_LOADS_DEDUPLICATED,
  METRIC_CACHE_OPERATION_DURATION,
  METRIC_CACHE_PAYLOAD_SIZE,
  METRIC_CACHE_PUTS,
  METRIC_CACHE_REQUESTS,
  METRIC_CACHE_SIZE,
} from '../src/index.js';

export { uniqueName };

export interface Harness {
  metrics: TestMetrics;
  instrumentation: CacheInstrumentation;
  /** Collects once and reads cache `name` back. */
  read(name: string, reader?: TestMetricReader): Promise<CacheReading>;
  cleanup(): Promise<void>;
}

export function harness(extraReaders: TestMetricReader[] = []): Harness {
  const h = withInstrumentation(new CacheInstrumentation(), { extraReaders });
  return { ...h, read: async (name, reader) => reading(await h.metrics.collect(reader), name) };
}

/** attribute value of `key` → value, over the points of `metric` matching `subset`. */
function by(
  metric: MetricData | undefined,
  subset: Record<string, string>,
  key: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pointsWith<number>(metric, subset)) out[String(p.attributes[key])] = p.value;
  return out;
}

export interface CacheReading {
  rm: ResourceMetrics;
  /** `cache.gets` by result, of one layer. */
  gets(layer: string): Record<string, number>;
  puts(layer: string): number | undefined;
  evictions(layer: string): Record<string, number>;
  /** `cache.errors` of one layer as `operation/error.type` → count. */
  errors(layer: string): Record<string, number>;
  entries(layer: string): number | undefined;
  size(layer: string): number | undefined;
  requests(): Record<string, number>;
  loads(): Record<string, number>;
  deduplicated(): number | undefined;
  /** Count of `cache.operation.duration` records of one layer and operation (0 when none). */
  timed(layer: string, operation: string): number;
  /** Count and sum of `cache.payload.size` of one layer and operation. */
  payload(layer: string, operation: string): { count: number; sum: number };
}

export function reading(rm: ResourceMetrics, name: string): CacheReading {
  const n = { [ATTR_CACHE_NAME]: name };
  const one = (metric: string, layer: string) => {
    const pts = pointsWith<number>(findMetric(rm, metric), { ...n, [ATTR_CACHE_LAYER]: layer });
    return pts.length === 0 ? undefined : pts.reduce((a, p) => a + p.value, 0);
  };
  const hist = (metric: string, layer: string, operation: string) => {
    const m = findMetric(rm, metric);
    const subset = { ...n, [ATTR_CACHE_LAYER]: layer, [ATTR_CACHE_OPERATION]: operation };
    return pointsWith(m, subset).length === 0 ? undefined : histogramOf(m, subset);
  };
  return {
    rm,
    gets: (layer) =>
      by(findMetric(rm, METRIC_CACHE_GETS), { ...n, [ATTR_CACHE_LAYER]: layer }, ATTR_CACHE_RESULT),
    puts: (layer) => one(METRIC_CACHE_PUTS, layer),
    evictions: (layer) =>
      by(
        findMetric(rm, METRIC_CACHE_EVICTIONS),
        { ...n, [ATTR_CACHE_LAYER]: layer },
        ATTR_CACHE_EVICTION_CAUSE,
      ),
    errors(layer) {
      const out: Record<string, number> = {};
      for (const p of pointsWith<number>(findMetric(rm, METRIC_CACHE_ERRORS), {
        ...n,
        [ATTR_CACHE_LAYER]: layer,
      })) {
        out[`${p.attributes[ATTR_CACHE_OPERATION]}/${p.attributes[ATTR_ERROR_TYPE]}`] = p.value;
      }
      return out;
    },
    entries: (layer) => one(METRIC_CACHE_ENTRIES, layer),
    size: (layer) => one(METRIC_CACHE_SIZE, layer),
    requests: () => by(findMetric(rm, METRIC_CACHE_REQUESTS), n, ATTR_CACHE_PATH),
    loads: () => by(findMetric(rm, METRIC_CACHE_LOADS), n, ATTR_CACHE_LOAD_RESULT),
    deduplicated: () => {
      const pts = pointsWith<number>(findMetric(rm, METRIC_CACHE_LOADS_DEDUPLICATED), n);
      return pts[0]?.value;
    },
    timed: (layer, operation) => hist(METRIC_CACHE_OPERATION_DURATION, layer, operation)?.count ?? 0,
    payload: (layer, operation) => {
      const h = hist(METRIC_CACHE_PAYLOAD_SIZE, layer, operation);
      return { count: h?.count ?? 0, sum: h?.sum ?? 0 };
    },
  };
}
