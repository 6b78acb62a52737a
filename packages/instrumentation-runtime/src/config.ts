import type { ResolvedRuntimeConfig, RuntimeInstrumentationConfig } from './types.js';

const WHERE = 'RuntimeInstrumentation';

/** The defaults of {@link RuntimeInstrumentationConfig}, merged in one place. */
export const DEFAULTS: ResolvedRuntimeConfig = {
  eventLoopDelayResolutionMillis: 20,
  statsWindowMillis: 10_000,
  gc: true,
  activeResources: true,
};

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}

function invalid(key: string, value: unknown, allowed: string): never {
  throw new TypeError(`${WHERE}: ${key} must be ${allowed}, got ${show(value)}`);
}

function integer(key: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(key, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function boolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(key, value, 'a boolean');
  return value;
}

/** Validates `config` and applies the defaults; throws a `TypeError` naming the first invalid key. */
export function resolveConfig(config: RuntimeInstrumentationConfig): ResolvedRuntimeConfig {
  const eventLoopDelayResolutionMillis = integer(
    'eventLoopDelayResolutionMillis',
    config.eventLoopDelayResolutionMillis,
    1,
    1000,
    DEFAULTS.eventLoopDelayResolutionMillis,
  );
  const statsWindowMillis = integer(
    'statsWindowMillis',
    config.statsWindowMillis,
    1000,
    3_600_000,
    DEFAULTS.statsWindowMillis,
  );
  if (statsWindowMillis < 10 * eventLoopDelayResolutionMillis) {
    invalid(
      'statsWindowMillis',
      statsWindowMillis,
      `at least ten times eventLoopDelayResolutionMillis (${10 * eventLoopDelayResolutionMillis})`,
    );
  }
  return {
    eventLoopDelayResolutionMillis,
    statsWindowMillis,
    gc: boolean('gc', config.gc, DEFAULTS.gc),
    activeResources: boolean('activeResources', config.activeResources, DEFAULTS.activeResources),
  };
}
