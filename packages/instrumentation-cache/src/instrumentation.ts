import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { BatchRegistration } from '@otel-perf/core';
import { createInstruments } from './instruments.js';
import { registry, type Sink } from './registry.js';
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
  declare private _batch: BatchRegistration<Sink> | undefined;

  constructor(config: CacheInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override init() {
    return [];
  }

  protected override _updateMetricInstruments(): void {
    this._batch ??= new BatchRegistration(() => registry().sinks);
    this._batch.replace(createInstruments(this.meter), this._enabled);
  }

  override enable(): void {
    super.enable();
    this._batch?.register();
  }

  override disable(): void {
    super.disable();
    this._batch?.unregister();
  }
}
