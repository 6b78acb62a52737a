import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { type CpuLimit, cpuLimit } from './cgroup.js';
import { resolveConfig } from './config.js';
import { GcObserver } from './gc.js';
import { createInstruments, type RuntimeInstruments, type RuntimeSources } from './instruments.js';
import { LoopSampler } from './sampler.js';
import type { ResolvedRuntimeConfig, RuntimeInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/**
 * Event loop, GC, memory and CPU metrics of the Node.js process, for any MeterProvider. Patches nothing.
 *
 * While enabled it runs one unref'd interval timer (the event-loop delay sampler) and one `gc`
 * `PerformanceObserver`; everything else is read at collection time by batch observable callbacks registered
 * on enable and removed on disable. No callback consumes a delta: windowed values come from a trailing window
 * the sampler advances, and counters from cumulative sources, so any number of readers on one provider, at any
 * intervals, see consistent values.
 *
 * @example
 * ```ts
 * registerInstrumentations({ instrumentations: [new RuntimeInstrumentation()] });
 * ```
 */
export class RuntimeInstrumentation extends InstrumentationBase<RuntimeInstrumentationConfig> {
  // `declare`: the base constructor calls setConfig, _updateMetricInstruments and enable before subclass
  // fields would be initialised, and an initialiser would then overwrite what they set.
  declare private _resolved: ResolvedRuntimeConfig;
  declare private _instruments: RuntimeInstruments | undefined;
  declare private _registered: boolean;
  declare private _sampler: LoopSampler | undefined;
  declare private _gc: GcObserver | undefined;
  declare private _cpuLimit: CpuLimit | undefined;

  constructor(config: RuntimeInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Validates and merges defaults; invalid values throw here, naming the key. Restarts the samplers if running. */
  override setConfig(config: RuntimeInstrumentationConfig = {}): void {
    const resolved = resolveConfig(config);
    super.setConfig({ ...config, ...resolved });
    const previous = this._resolved;
    this._resolved = resolved;
    if (previous && this._enabled) {
      this._stop();
      this._start();
      if (previous.activeResources !== resolved.activeResources) this._updateMetricInstruments();
    }
  }

  protected override init() {
    return [];
  }

  protected override _updateMetricInstruments(): void {
    const wasRegistered = this._registered === true;
    this._unregister();
    // Samples taken so far belong to the provider they were taken under.
    this._sampler?.flush();
    this._instruments = createInstruments(this.meter, this._sources());
    if (wasRegistered || this._enabled) this._register();
  }

  override enable(): void {
    super.enable();
    this._start();
    this._register();
  }

  override disable(): void {
    super.disable();
    this._stop();
    this._unregister();
  }

  /** What the observable callbacks read: the running sampler's window, or nothing while disabled. */
  private _sources(): RuntimeSources {
    return {
      delayStats: () => {
        // Collection time: the histogram gets the samples taken since the last batch, for every reader.
        this._sampler?.flush();
        return this._sampler?.window.delayStats();
      },
      utilization: () => this._sampler?.window.utilization(),
      cpuShare: () => this._sampler?.window.cpuShare((this._cpuLimit ?? cpuLimit()).cpus),
      activeResources: this._resolved.activeResources,
    };
  }

  private _start(): void {
    const c = this._resolved;
    this._cpuLimit ??= cpuLimit();
    if (!this._sampler) {
      this._sampler = new LoopSampler(c.eventLoopDelayResolutionMillis, c.statsWindowMillis, (seconds) =>
        this._instruments?.delay.record(seconds),
      );
      this._sampler.start();
    }
    if (c.gc && !this._gc) {
      this._gc = new GcObserver((seconds, type) => this._instruments?.recordGc(seconds, type));
      try {
        this._gc.start();
      } catch (err) {
        this._diag.error('observing garbage collections failed', err);
        this._gc = undefined;
      }
    }
  }

  private _stop(): void {
    this._sampler?.stop();
    this._sampler = undefined;
    this._gc?.stop();
    this._gc = undefined;
    this._cpuLimit = undefined;
  }

  private _register(): void {
    const i = this._instruments;
    if (!i || this._registered) return;
    this._registered = true;
    for (const g of i.groups) i.meter.addBatchObservableCallback(g.callback, g.observables);
  }

  private _unregister(): void {
    const i = this._instruments;
    if (!i || !this._registered) return;
    this._registered = false;
    for (const g of i.groups) i.meter.removeBatchObservableCallback(g.callback, g.observables);
  }
}
