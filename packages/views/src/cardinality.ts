import type { Attributes } from '@opentelemetry/api';
import type { IAttributesProcessor } from '@opentelemetry/sdk-metrics';

/** The attribute set every recording past the series cap is folded into (the SDK uses the same one). */
export const OVERFLOW_ATTRIBUTES: Readonly<Attributes> = Object.freeze({ 'otel.metric.overflow': true });

/** Options of {@link createCardinalityGuard}. */
export interface CardinalityGuardOptions {
  /**
   * The most distinct attribute sets (series) one instrument may create. The first `maxSeries` sets are
   * kept as they are; every later new set is recorded as `{ otel.metric.overflow: true }`.
   */
  maxSeries: number;
  /**
   * Attribute names to keep (an allow-list applied before counting series). Omit to keep every attribute.
   * @default undefined (keep all)
   */
  allow?: readonly string[];
}

/** The key the guard counts series by: sorted `name=value` pairs, the same identity the SDK uses. */
function seriesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  let key = '';
  for (const k of keys) key += `${JSON.stringify(k)}:${JSON.stringify(attributes[k] ?? null)},`;
  return key;
}

/**
 * An `IAttributesProcessor` (for `ViewOptions.attributesProcessors`) that bounds how many series one
 * instrument can ever create, which the SDK's `aggregationCardinalityLimit` does not do for cumulative
 * temporality (it limits one collection cycle; cumulative streams keep growing across collections).
 *
 * The guard remembers at most `maxSeries` attribute sets. A recording with a known set passes through; a new
 * set is admitted while there is room and otherwise becomes {@link OVERFLOW_ATTRIBUTES}, so the SDK holds at
 * most `maxSeries + 1` series for the instrument, forever. Frozen attribute objects (the cached sets
 * otel-perf instrumentations pass) are memoised by identity, so the hot path skips the key computation.
 *
 * Cost: for a frozen object seen before, one `WeakMap` lookup; otherwise the allow-list copy and one key
 * computation (about what the SDK itself spends hashing the set). Memory: at most `maxSeries` stored sets.
 *
 * @example
 * new MeterProvider({ views: [{ instrumentName: 'http.server.request.duration',
 *   attributesProcessors: [createCardinalityGuard({ maxSeries: 500 })] }] })
 */
export function createCardinalityGuard(options: CardinalityGuardOptions): IAttributesProcessor {
  const { maxSeries, allow } = options ?? {};
  if (typeof maxSeries !== 'number' || !Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new Error(`createCardinalityGuard: maxSeries must be a positive integer, got ${String(maxSeries)}`);
  }
  return attributesProcessor(maxSeries, checkAllow(allow, 'createCardinalityGuard: allow'));
}

/**
 * An allow-list `IAttributesProcessor` like the SDK's `createAllowListAttributesProcessor`, except that
 * frozen attribute objects are memoised by identity (no copy per recording for cached sets).
 */
export function createAllowList(allow: readonly string[]): IAttributesProcessor {
  return attributesProcessor(undefined, checkAllow(allow, 'createAllowList'));
}

function checkAllow(allow: readonly string[] | undefined, where: string): Set<string> | undefined {
  if (allow === undefined) return undefined;
  if (!Array.isArray(allow) || allow.some((a) => typeof a !== 'string')) {
    throw new Error(`${where} must be an array of attribute names (strings), got ${JSON.stringify(allow)}`);
  }
  return new Set(allow);
}

function attributesProcessor(maxSeries: number | undefined, allowed: Set<string> | undefined) {
  const series = new Map<string, Attributes>();
  const byIdentity = new WeakMap<Attributes, Attributes>();

  const admit = (incoming: Attributes): Attributes => {
    let filtered = incoming;
    if (allowed) {
      filtered = {};
      for (const k in incoming) {
        if (allowed.has(k) && Object.hasOwn(incoming, k)) filtered[k] = incoming[k];
      }
    }
    if (maxSeries === undefined) return filtered;
    const key = seriesKey(filtered);
    const known = series.get(key);
    if (known) return known;
    if (series.size >= maxSeries) return OVERFLOW_ATTRIBUTES;
    const stored = Object.freeze(filtered === incoming ? { ...filtered } : filtered);
    series.set(key, stored);
    return stored;
  };

  return {
    process(incoming: Attributes): Attributes {
      if (!Object.isFrozen(incoming)) return admit(incoming);
      const memo = byIdentity.get(incoming);
      if (memo) return memo;
      const out = admit(incoming);
      // Keyed weakly by the caller's object: the memo lives only as long as the caller keeps the set.
      byIdentity.set(incoming, Object.isFrozen(out) ? out : Object.freeze(out));
      return out;
    },
  } satisfies IAttributesProcessor;
}
