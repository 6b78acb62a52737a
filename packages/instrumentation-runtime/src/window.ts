import {
  createHistogram,
  type EventLoopUtilization,
  performance,
  type RecordableHistogram,
} from 'node:perf_hooks';
import type { DelayStats } from './types.js';

/** The window advances in this many steps: it covers between (STEPS-1)/STEPS and all of its length. */
export const WINDOW_STEPS = 5;
/** Largest delay the window's histograms hold (one hour, in microseconds); longer ones are clamped. */
const HIGHEST_MICROS = 3_600_000_000;
/** 2 significant figures: 1% precision on the gauges for ~27 KB per histogram (figures 3 would be ~190 KB). */
const FIGURES = 2;
/** A utilization over less than this many milliseconds is noise (the callback itself is busy time): skipped. */
const MIN_UTILIZATION_SPAN_MS = 100;

const newHistogram = () => createHistogram({ lowest: 1, highest: HIGHEST_MICROS, figures: FIGURES });

/** One step of the window: delay samples recorded during it, and the cumulative readings at its start. */
interface Step {
  readonly histogram: RecordableHistogram;
  startedAt: number;
  elu: EventLoopUtilization;
  cpu: NodeJS.CpuUsage;
}

/** CPU used over the window, per mode, as a share of `cpus` CPUs (0..1). */
export interface CpuShare {
  readonly user: number;
  readonly system: number;
}

/**
 * A trailing window over the event loop and the CPU that every reader of a provider can read without
 * consuming it: delay samples go into per-step histograms, and utilization is computed from cumulative sources
 * (`performance.eventLoopUtilization()`, `process.cpuUsage()`) against the readings taken when the oldest step
 * began. Reading changes nothing, so two readers collecting at any intervals get the same answers.
 */
export class TrailingWindow {
  private readonly steps: Step[] = [];
  private readonly spare: RecordableHistogram[] = [];
  private readonly merged = newHistogram();
  private readonly stepMs: number;
  private nextStepAt: number;

  constructor(windowMs: number, now: number = performance.now()) {
    this.stepMs = windowMs / WINDOW_STEPS;
    this.steps.push(this.newStep(now));
    this.nextStepAt = now + this.stepMs;
  }

  /** Records one event-loop delay sample, in milliseconds (resolution already subtracted). */
  record(delayMs: number, now: number): void {
    this.advance(now);
    const micros = Math.min(HIGHEST_MICROS, Math.max(1, Math.round(delayMs * 1000)));
    (this.steps[this.steps.length - 1] as Step).histogram.record(micros);
  }

  /** Starts new steps for the time that passed, dropping steps that left the window. */
  advance(now: number): void {
    if (now < this.nextStepAt) return;
    // After a loop blocked for longer than the window, no reading was taken during the block: keep the last
    // step from before it (its readings are the newest ones older than the window), so the block itself is
    // still inside the window instead of the window restarting empty after it.
    const due = Math.min(WINDOW_STEPS - 1, Math.floor((now - this.nextStepAt) / this.stepMs) + 1);
    for (let i = 0; i < due; i++) this.steps.push(this.newStep(now));
    while (this.steps.length > WINDOW_STEPS) this.spare.push((this.steps.shift() as Step).histogram);
    this.nextStepAt = now + this.stepMs;
  }

  /** Delay statistics over the window, in seconds; undefined before the first sample. */
  delayStats(now: number = performance.now()): DelayStats | undefined {
    this.advance(now);
    const m = this.merged;
    m.reset();
    for (const s of this.steps) if (s.histogram.count > 0) m.add(s.histogram);
    if (m.count === 0) return undefined;
    const s = (micros: number) => micros / 1e6;
    return {
      count: m.count,
      min: s(m.min),
      max: s(m.max),
      mean: s(m.mean),
      stddev: s(m.stddev),
      p50: s(m.percentile(50)),
      p90: s(m.percentile(90)),
      p99: s(m.percentile(99)),
    };
  }

  /** Event-loop utilization (0..1) over the window; undefined while the window is too short to mean anything. */
  utilization(now: number = performance.now()): number | undefined {
    this.advance(now);
    const oldest = this.steps[0] as Step;
    if (now - oldest.startedAt < MIN_UTILIZATION_SPAN_MS) return undefined;
    return performance.eventLoopUtilization(oldest.elu).utilization;
  }

  /** CPU used over the window per mode, divided by the window's length times `cpus`. */
  cpuShare(cpus: number, now: number = performance.now()): CpuShare | undefined {
    this.advance(now);
    const oldest = this.steps[0] as Step;
    const spanMs = now - oldest.startedAt;
    if (spanMs < MIN_UTILIZATION_SPAN_MS) return undefined;
    const used = process.cpuUsage(oldest.cpu);
    const capacityMicros = spanMs * 1000 * cpus;
    return { user: used.user / capacityMicros, system: used.system / capacityMicros };
  }

  private newStep(now: number): Step {
    const histogram = this.spare.pop() ?? newHistogram();
    histogram.reset();
    return { histogram, startedAt: now, elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() };
  }
}
