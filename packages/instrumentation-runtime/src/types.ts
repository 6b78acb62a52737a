import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * Options of {@link RuntimeInstrumentation}. Every option is checked at construction (and in `setConfig`);
 * an invalid value throws a `TypeError` naming the key, the value and what is allowed.
 *
 * @example
 * ```ts
 * new RuntimeInstrumentation({ eventLoopDelayResolutionMillis: 10, statsWindowMillis: 30_000 });
 * ```
 */
export interface RuntimeInstrumentationConfig extends InstrumentationConfig {
  /**
   * Milliseconds between two event-loop delay samples (an unref'd interval timer). Each sample is the time
   * the timer fired late; a block shorter than this may fall between two samples. Cost: one timer callback
   * and one histogram record per tick (see the README's cost table for 10 ms vs 20 ms).
   * Integer from 1 to 1000.
   * @default 20
   */
  eventLoopDelayResolutionMillis?: number;
  /**
   * Length of the trailing window, in milliseconds, that the `nodejs.eventloop.delay.*` gauges,
   * `nodejs.eventloop.utilization` and `process.cpu.utilization` describe. The window advances in five steps,
   * so it covers between 4/5 and all of this length. No reader resets it: every reader sees the same window.
   * Integer from 1000 to 3600000, and at least ten times the resolution.
   * @default 10000
   */
  statsWindowMillis?: number;
  /**
   * Observe garbage collections (a `PerformanceObserver` for `gc` entries) for `v8js.gc.duration`.
   * @default true
   */
  gc?: boolean;
  /**
   * Report `v8js.resource.active` from `process.getActiveResourcesInfo()` at each collection (one array of
   * type names per collection, proportional to the number of open handles and requests).
   * @default true
   */
  activeResources?: boolean;
}

/** {@link RuntimeInstrumentationConfig} with its defaults applied. */
export interface ResolvedRuntimeConfig {
  readonly eventLoopDelayResolutionMillis: number;
  readonly statsWindowMillis: number;
  readonly gc: boolean;
  readonly activeResources: boolean;
}

/** Statistics of the event-loop delay in the trailing window, in seconds. */
export interface DelayStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}
