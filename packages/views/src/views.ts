import { AggregationType, type IAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { createAllowList, createCardinalityGuard } from './cardinality.js';
import { METRIC_BUCKET_PRESETS } from './metric-presets.js';
import { BUCKET_PRESETS, type BucketPresetName } from './presets.js';
import type { BucketsOption, CreateViewsOptions } from './types.js';

const OPTION_KEYS = new Set(['buckets', 'attributes', 'cardinalityLimit', 'maxSeriesPerInstrument']);
const PRESET_NAMES = Object.keys(BUCKET_PRESETS).join(', ');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Resolves a preset name or a list of boundaries to a fresh, validated array of boundaries. Throws with the
 * path of the bad value (`where`) and what is allowed.
 */
export function resolveBuckets(value: BucketsOption, where = 'buckets'): number[] {
  if (typeof value === 'string') {
    if (!Object.hasOwn(BUCKET_PRESETS, value)) {
      throw new Error(`${where}: unknown bucket preset "${value}"; use one of: ${PRESET_NAMES}`);
    }
    return [...BUCKET_PRESETS[value as BucketPresetName]];
  }
  if (!Array.isArray(value)) {
    throw new Error(
      `${where}: expected a preset name (${PRESET_NAMES}) or an array of numbers, got ${JSON.stringify(value)}`,
    );
  }
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new Error(`${where}[${i}]: bucket boundaries must be finite numbers, got ${JSON.stringify(b)}`);
    }
    const prev = out[i - 1];
    if (prev !== undefined && b <= prev) {
      throw new Error(
        `${where}[${i}]: bucket boundaries must be strictly increasing, but ${b} follows ${prev}; sort them and remove duplicates`,
      );
    }
    out.push(b);
  }
  return out;
}

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: expected a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Turns the bucket presets and a user's overrides into SDK `ViewOptions`: one view per instrument name,
 * with an explicit-bucket histogram aggregation (the metric's default preset from
 * `METRIC_BUCKET_PRESETS`, or the override), an optional attribute allow-list, an optional
 * `aggregationCardinalityLimit`, and an optional per-instrument series cap (a {@link createCardinalityGuard}).
 *
 * Plain data in, plain data out: the result can be passed to `new MeterProvider({ views })` as it is.
 * Invalid input throws once, with a message naming the key, the bad value and what is allowed.
 *
 * @example
 * const views = createViews({
 *   buckets: { 'http.server.request.duration': [0.01, 0.05, 0.1, 0.5, 1] },
 *   attributes: { 'http.server.request.duration': ['http.request.method', 'http.route', 'http.response.status_code'] },
 *   maxSeriesPerInstrument: 1000,
 * });
 * new MeterProvider({ views, readers: [reader] });
 */
export function createViews(options: CreateViewsOptions = {}): ViewOptions[] {
  if (!isPlainObject(options)) {
    throw new Error(`createViews: options must be an object, got ${JSON.stringify(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new Error(`createViews: unknown option "${key}"; allowed: ${[...OPTION_KEYS].join(', ')}`);
    }
  }
  const { buckets = {}, attributes = {}, cardinalityLimit, maxSeriesPerInstrument } = options;
  if (!isPlainObject(buckets)) {
    throw new Error(`buckets: expected an object of metric name → buckets, got ${JSON.stringify(buckets)}`);
  }
  if (!isPlainObject(attributes)) {
    throw new Error(
      `attributes: expected an object of metric name → attribute names, got ${JSON.stringify(attributes)}`,
    );
  }
  const limit =
    cardinalityLimit === undefined ? undefined : positiveInteger(cardinalityLimit, 'cardinalityLimit');
  const maxSeries =
    maxSeriesPerInstrument === undefined
      ? undefined
      : positiveInteger(maxSeriesPerInstrument, 'maxSeriesPerInstrument');

  const boundaries = new Map<string, number[]>();
  for (const [name, preset] of Object.entries(METRIC_BUCKET_PRESETS)) {
    boundaries.set(name, [...BUCKET_PRESETS[preset]]);
  }
  for (const [name, value] of Object.entries(buckets)) {
    boundaries.set(name, resolveBuckets(value as BucketsOption, `buckets["${name}"]`));
  }
  const allowLists = new Map<string, string[]>();
  for (const [name, list] of Object.entries(attributes)) {
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || a.length === 0)) {
      throw new Error(
        `attributes["${name}"]: expected an array of attribute names (non-empty strings), got ${JSON.stringify(list)}`,
      );
    }
    allowLists.set(name, [...list]);
  }

  const names = new Set([...boundaries.keys(), ...allowLists.keys()]);
  const views: ViewOptions[] = [];
  for (const name of names) {
    const view: ViewOptions = { instrumentName: name };
    const b = boundaries.get(name);
    if (b) view.aggregation = { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: b } };
    const allow = allowLists.get(name);
    const processors: IAttributesProcessor[] = [];
    if (maxSeries !== undefined) {
      processors.push(createCardinalityGuard(allow ? { maxSeries, allow } : { maxSeries }));
    } else if (allow) {
      processors.push(createAllowList(allow));
    }
    if (processors.length > 0) view.attributesProcessors = processors;
    if (limit !== undefined) view.aggregationCardinalityLimit = limit;
    views.push(view);
  }
  return views;
}
