import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';

/** The instruments of one metric group: one batch callback over its observables, and the sink records go to. */
export interface BatchInstruments<S> {
  readonly meter: Meter;
  readonly sink: S;
  readonly observables: Observable[];
  readonly callback: BatchObservableCallback;
}

/**
 * Registers one instrumentation's batch callback with its meter and its sink in a package registry, while the
 * instrumentation is enabled. An `InstrumentationBase` subclass holds one (in a `declare`d field created in
 * `_updateMetricInstruments`, which the base constructor calls before subclass fields are initialised), calls
 * {@link replace} from `_updateMetricInstruments`, {@link register} from `enable` and {@link unregister} from
 * `disable`. Both are idempotent.
 */
export class BatchRegistration<S> {
  private _instruments: BatchInstruments<S> | undefined;
  private _registered = false;

  /** @param sinks the registry's set of sinks, read on every (un)registration. */
  constructor(private readonly _sinks: () => Set<S>) {}

  /** The current instruments, if {@link replace} was called. */
  get instruments(): BatchInstruments<S> | undefined {
    return this._instruments;
  }

  /**
   * Swaps in new instruments (after a meter or config change): the old ones are unregistered, and the new ones
   * registered if the old ones were or `enabled` is true.
   */
  replace(instruments: BatchInstruments<S>, enabled: boolean): void {
    const wasRegistered = this._registered;
    this.unregister();
    this._instruments = instruments;
    if (wasRegistered || enabled) this.register();
  }

  /** Adds the sink to the registry and the batch callback to the meter, once. */
  register(): void {
    const i = this._instruments;
    if (!i || this._registered) return;
    this._registered = true;
    this._sinks().add(i.sink);
    i.meter.addBatchObservableCallback(i.callback, i.observables);
  }

  /** Removes what {@link register} added, once. */
  unregister(): void {
    const i = this._instruments;
    if (!i || !this._registered) return;
    this._registered = false;
    this._sinks().delete(i.sink);
    i.meter.removeBatchObservableCallback(i.callback, i.observables);
  }
}
