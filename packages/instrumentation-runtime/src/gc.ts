import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import type { GC_TYPES } from './semconv.js';

/** A value of `v8js.gc.type`, or `unknown` for a kind Node adds later. */
export type GcType = (typeof GC_TYPES)[number] | 'unknown';

const KINDS = new Map<number, GcType>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/** The `v8js.gc.type` of a `gc` performance entry. */
export function gcType(entry: PerformanceEntry): GcType {
  const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind;
  return (kind !== undefined && KINDS.get(kind)) || 'unknown';
}

/**
 * One `PerformanceObserver` for `gc` entries that reports every entry of every batch (Node delivers GC
 * entries in batches; reporting only the first would drop the rest). Created on start, disconnected on stop.
 */
export class GcObserver {
  private observer: PerformanceObserver | undefined;

  constructor(private readonly onGc: (seconds: number, type: GcType) => void) {}

  get running(): boolean {
    return this.observer !== undefined;
  }

  start(): void {
    if (this.observer) return;
    const observer = new PerformanceObserver((list) => {
      try {
        for (const entry of list.getEntries()) this.onGc(entry.duration / 1000, gcType(entry));
      } catch (err) {
        diag.error('otel-perf: runtime GC observer failed', err);
      }
    });
    observer.observe({ type: 'gc' });
    this.observer = observer;
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
