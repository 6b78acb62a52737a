import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { type CacheInstruments, createInstruments } from './instruments.js';
import { registry } from './registry.js';
import type { CacheInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/**
 * Cache metrics for any MeterProvider. It owns the instruments (created in `_updateMetricInstruments`) and,
 * while enabled, reports the counts of every cache measured through this package's adapters from one batch
 * callback, and receives their histogram records. It patches no module: adapters wrap cache instances you
 * hand them, so nothing changes for caches you did not instrument.
 *
 * @example
 * ```ts
 * registerInstrumentations({ instrumentations: [new CacheInstrumentation()] });
 * const products = instrumentLruCache(new LRUCache({ max: 500 }), { name: 'products' });
 * ```
 */
export class CacheInstrumentation extends InstrumentationBase<CacheInstrumentationConfig> {
  // `declare`: the base constructor calls _updateMetricInstruments and enable before subclass fields would be
  // initialised, and an initialiser would then overwrite what they set.
  declare private _instruments: CacheInstruments | undefined;
  declare private _registered: boolean;

  constructor(config: CacheInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override init() {
    return [];
  }

  protected override _updateMetricInstruments(): void {
    const wasRegistered = this._registered === true;
    this._unregister();
    this._instruments = createInstruments(this.meter);
    if (wasRegistered || this._enabled) this._register();
  }

  override enable(): void {
    super.enable();
    this._register();
  }

  override disable(): void {
    super.disable();
    this._unregister();
  }

  private _register(): void {
    const i = this._instruments;
    if (!i || this._registered) return;
    this._registered = true;
    registry().sinks.add(i.sink);
    i.meter.addBatchObservableCallback(i.callback, i.observables);
  }

  private _unregister(): void {
    const i = this._instruments;
    if (!i || !this._registered) return;
    this._registered = false;
    registry().sinks.delete(i.sink);
    i.meter.removeBatchObservableCallback(i.callback, i.observables);
  }
}
