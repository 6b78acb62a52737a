import { createViews } from '@otel-perf/views';
import type { HttpInstrumentationConfig } from './types.js';

/** The defaults of every option, merged in one place (constructor and `setConfig`). */
export const DEFAULT_CONFIG = {
  enabled: true,
  server: true,
  client: true,
  routeNormalization: true,
  ignorePaths: [],
  ignoreOutgoingHosts: [],
  bodySize: true,
  maxCachedAttributeSets: 2000,
  fastPath: false,
  views: {},
} as const satisfies Required<HttpInstrumentationConfig>;

/** A config with every default filled in. */
export type ResolvedHttpConfig = Required<HttpInstrumentationConfig>;

const BOOLEAN_KEYS = ['enabled', 'server', 'client', 'routeNormalization', 'bodySize', 'fastPath'] as const;
const KNOWN_KEYS = new Set<string>(Object.keys(DEFAULT_CONFIG));

function fail(key: string, value: unknown, allowed: string): never {
  let shown: string;
  try {
    shown = value instanceof RegExp ? String(value) : JSON.stringify(value);
  } catch {
    shown = String(value);
  }
  throw new Error(`HttpInstrumentation: invalid config "${key}": ${shown}; expected ${allowed}`);
}

/** Merges the defaults into `config` and validates it; throws naming the key, the value and what is allowed. */
export function resolveConfig(config: HttpInstrumentationConfig = {}): ResolvedHttpConfig {
  if (typeof config !== 'object' || config === null) fail('(config)', config, 'an object');
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key))
      fail(key, (config as Record<string, unknown>)[key], `one of ${[...KNOWN_KEYS].join(', ')}`);
  }
  const merged = { ...DEFAULT_CONFIG, ...stripUndefined(config) } as ResolvedHttpConfig;
  for (const key of BOOLEAN_KEYS) {
    if (typeof merged[key] !== 'boolean') fail(key, merged[key], 'true or false');
  }
  if (
    !Array.isArray(merged.ignorePaths) ||
    merged.ignorePaths.some((p) => !(p instanceof RegExp) && (typeof p !== 'string' || !p.startsWith('/')))
  ) {
    fail(
      'ignorePaths',
      merged.ignorePaths,
      'an array of paths starting with "/" (a trailing "/*" matches a prefix) or RegExps',
    );
  }
  if (
    !Array.isArray(merged.ignoreOutgoingHosts) ||
    merged.ignoreOutgoingHosts.some((h) => typeof h !== 'string' || h.length === 0)
  ) {
    fail('ignoreOutgoingHosts', merged.ignoreOutgoingHosts, 'an array of "host" or "host:port" strings');
  }
  const max = merged.maxCachedAttributeSets;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
    fail('maxCachedAttributeSets', max, 'an integer >= 0');
  }
  if (typeof merged.views !== 'object' || merged.views === null || Array.isArray(merged.views)) {
    fail(
      'views',
      merged.views,
      'an object of createViews options (buckets, attributes, maxSeriesPerInstrument, cardinalityLimit)',
    );
  }
  try {
    createViews(merged.views);
  } catch (err) {
    fail('views', merged.views, (err as Error).message);
  }
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A compiled matcher for `ignorePaths`: returns true for a path (without query) to ignore. */
export function compilePathMatcher(
  patterns: readonly (string | RegExp)[],
): ((path: string) => boolean) | undefined {
  if (patterns.length === 0) return undefined;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const regexps: RegExp[] = [];
  for (const p of patterns) {
    if (p instanceof RegExp) regexps.push(p);
    else if (p.endsWith('/*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (path) => {
    if (exact.has(path)) return true;
    for (const p of prefixes) if (path.startsWith(p) || path === p.slice(0, -1)) return true;
    for (const r of regexps) if (r.test(path)) return true;
    return false;
  };
}
