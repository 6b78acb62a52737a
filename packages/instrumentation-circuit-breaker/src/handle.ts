import { performance } from 'node:perf_hooks';
import { type Attributes, diag } from '@opentelemetry/api';
import { MAX_BREAKERS, type Registry, registry } from './registry.js';
import {
  ATTR_CIRCUIT_BREAKER_CALL_OUTCOME,
  ATTR_CIRCUIT_BREAKER_LIBRARY,
  ATTR_CIRCUIT_BREAKER_NAME,
  ATTR_CIRCUIT_BREAKER_STATE_FROM,
  ATTR_CIRCUIT_BREAKER_STATE_TO,
  CALL_OUTCOMES,
} from './semconv.js';
import type { BreakerState, CallOutcome, FallbackCause, InstrumentedBreaker } from './types.js';
import type { RollingWindow } from './window.js';

/** What a breaker's own window says now; a field left out is not published. */
export interface WindowReading {
  calls?: number;
  failures?: number;
  slowCalls?: number;
  minimumCalls?: number;
  consecutiveFailures?: number;
}

/** How an adapter describes the breaker it measures. */
export interface HandleSpec {
  /** Already made safe with `safeAttributeValue`. */
  name: string;
  library: 'opossum' | 'cockatiel' | 'custom';
  /** Every state the library can report (observed as 0 when not current). */
  states: readonly BreakerState[];
  /** The breaker's state now, or undefined when the breaker is gone (garbage-collected or shut down). */
  readState(): BreakerState | undefined;
  /** The breaker's own window now. */
  readWindow?(nowMs: number): WindowReading | undefined;
  /** A window we keep from the calls we see: slow calls for libraries that do not track them. */
  mirror?: RollingWindow;
  /** Seconds from which a call counts as slow in `mirror`. */
  slowCallThreshold?: number;
  /** Attributes of `circuit_breaker.config`, besides the name and library. */
  config: Attributes;
  /** Removes the adapter's listeners and wrappers. Called once, by `dispose`. */
  detach?(): void;
}

/** What the observable callback reads from a handle at collection. */
export interface HandleSnapshot {
  state: BreakerState;
  openSeconds: number;
  window: WindowReading | undefined;
  /** Slow calls and the calls they are a share of, from the breaker or our mirror. */
  slow: { slow: number; calls: number } | undefined;
}

const isOpen = (s: BreakerState) => s === 'open' || s === 'forced_open';

/**
 * The measurement state of one breaker: its current state, time spent open, precomputed attribute sets, and
 * the mirror window. One per breaker, created by an adapter and kept alive by the breaker's listeners; the
 * registry holds it until the breaker is gone. Every method is safe on the hot path: no throw escapes.
 */
export class BreakerHandle implements InstrumentedBreaker {
  readonly name: string;
  readonly library: HandleSpec['library'];
  readonly nameAttrs: Attributes;
  readonly configAttrs: Attributes;
  /** Identifies `configAttrs` among breakers of the same name. */
  readonly configKey: string;
  readonly states: readonly BreakerState[];
  state: BreakerState;
  disposed = false;
  private readonly spec: HandleSpec;
  private readonly reg: Registry;
  private readonly outcomeAttrs: Record<CallOutcome, Attributes>;
  private readonly transitionAttrs = new Map<string, Attributes>();
  private openSince = 0;
  private openSeconds = 0;

  constructor(spec: HandleSpec, initialState: BreakerState) {
    this.spec = spec;
    this.reg = registry();
    this.name = spec.name;
    this.library = spec.library;
    this.states = spec.states;
    this.state = initialState;
    if (isOpen(initialState)) this.openSince = performance.now();
    this.nameAttrs = { [ATTR_CIRCUIT_BREAKER_NAME]: spec.name };
    this.configAttrs = { ...this.nameAttrs, [ATTR_CIRCUIT_BREAKER_LIBRARY]: spec.library, ...spec.config };
    this.configKey = JSON.stringify(this.configAttrs);
    const attrs = {} as Record<CallOutcome, Attributes>;
    for (const o of CALL_OUTCOMES) attrs[o] = { ...this.nameAttrs, [ATTR_CIRCUIT_BREAKER_CALL_OUTCOME]: o };
    this.outcomeAttrs = attrs;
  }

  /** Records one call; `seconds` for calls that ran. */
  recordCall(outcome: CallOutcome, seconds?: number): void {
    if (this.disposed) return;
    const attrs = this.outcomeAttrs[outcome];
    const timed = seconds !== undefined && Number.isFinite(seconds) && seconds >= 0;
    for (const sink of this.reg.sinks) {
      sink.calls.add(1, attrs);
      if (timed) sink.duration.record(seconds, attrs);
    }
    const mirror = this.spec.mirror;
    if (mirror && (outcome === 'success' || outcome === 'failure' || outcome === 'timeout')) {
      const threshold = this.spec.slowCallThreshold;
      const slow = timed && threshold !== undefined && seconds >= threshold;
      mirror.add(outcome !== 'success', slow, performance.now());
    }
  }

  recordFallback(cause: FallbackCause): void {
    if (this.disposed) return;
    const attrs = this.outcomeAttrs[cause];
    for (const sink of this.reg.sinks) sink.fallbacks.add(1, attrs);
  }

  /** Moves to `to`, counting the transition and the time spent open. */
  moveTo(to: BreakerState): void {
    if (this.disposed || to === this.state) return;
    const from = this.state;
    const now = performance.now();
    if (isOpen(from) && !isOpen(to)) this.openSeconds += (now - this.openSince) / 1000;
    else if (!isOpen(from) && isOpen(to)) this.openSince = now;
    this.state = to;
    const key = `${from}>${to}`;
    let attrs = this.transitionAttrs.get(key);
    if (!attrs) {
      attrs = {
        ...this.nameAttrs,
        [ATTR_CIRCUIT_BREAKER_STATE_FROM]: from,
        [ATTR_CIRCUIT_BREAKER_STATE_TO]: to,
      };
      this.transitionAttrs.set(key, attrs);
    }
    for (const sink of this.reg.sinks) sink.transitions.add(1, attrs);
  }

  /** Reads the breaker's state and moves to it. Returns false when the breaker is gone. */
  sync(): boolean {
    if (this.disposed) return false;
    const s = this.spec.readState();
    if (s === undefined) return false;
    this.moveTo(s);
    return true;
  }

  private snapshotOpenSeconds(nowMs: number): number {
    return this.openSeconds + (isOpen(this.state) ? (nowMs - this.openSince) / 1000 : 0);
  }

  private retire(openSeconds: number): void {
    const retired = this.reg.retired;
    let r = retired.get(this.name);
    if (r) {
      retired.delete(this.name); // re-inserted below, as the newest
    } else {
      r = {
        states: new Set(),
        openSeconds: 0,
        windowCalls: false,
        failureRatio: false,
        slowCallRatio: false,
        consecutiveFailures: false,
      };
    }
    for (const s of this.states) r.states.add(s);
    r.openSeconds += openSeconds;
    r.windowCalls ||= this.published.windowCalls;
    r.failureRatio ||= this.published.failureRatio;
    r.slowCallRatio ||= this.published.slowCallRatio;
    r.consecutiveFailures ||= this.published.consecutiveFailures;
    retired.set(this.name, r);
    while (retired.size > MAX_BREAKERS) {
      const oldest = retired.keys().next().value;
      if (oldest === undefined) break;
      retired.delete(oldest);
    }
  }

  snapshot(nowMs: number): HandleSnapshot {
    const openSeconds = this.snapshotOpenSeconds(nowMs);
    const window = this.spec.readWindow?.(nowMs);
    let slow: HandleSnapshot['slow'];
    if (window?.slowCalls !== undefined) {
      slow = { slow: window.slowCalls, calls: window.calls ?? 0 };
    } else if (this.spec.mirror && this.spec.slowCallThreshold !== undefined) {
      const m = this.spec.mirror.read(nowMs);
      slow = { slow: m.slow, calls: m.calls };
    }
    return { state: this.state, openSeconds, window, slow };
  }

  /** Which window gauges the observer published for this breaker (they read 0 once it is gone). */
  readonly published = {
    windowCalls: false,
    failureRatio: false,
    slowCallRatio: false,
    consecutiveFailures: false,
  };

  dispose(): void {
    if (this.disposed) return;
    const openSeconds = this.snapshotOpenSeconds(performance.now());
    this.disposed = true;
    this.reg.handles.delete(this);
    this.retire(openSeconds);
    try {
      this.spec.detach?.();
    } catch (err) {
      diag.error('otel-perf: circuit breaker detach failed', err);
    }
  }
}

/**
 * Registers a handle for `target` (the breaker or recorder), or returns the one it already has. Returns
 * undefined when {@link MAX_BREAKERS} live breakers are already measured.
 */
export function registerHandle(
  target: object,
  make: () => BreakerHandle,
): { handle: BreakerHandle; created: boolean } | undefined {
  const reg = registry();
  const existing = reg.byTarget.get(target);
  if (existing && !existing.disposed) return { handle: existing, created: false };
  if (reg.handles.size >= MAX_BREAKERS) {
    for (const h of reg.handles) if (!h.sync()) h.dispose();
    if (reg.handles.size >= MAX_BREAKERS) {
      if (!reg.warnedFull) {
        reg.warnedFull = true;
        diag.warn(`otel-perf: ${MAX_BREAKERS} circuit breakers are measured already; further ones are not`);
      }
      return undefined;
    }
  }
  const handle = make();
  reg.handles.add(handle);
  reg.byTarget.set(target, handle);
  return { handle, created: true };
}
