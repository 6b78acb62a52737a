import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { BatchRegistration, safeCall } from '@otel-perf/core';
import { invalid, optionalSeconds } from './guard.js';
import { createInstruments } from './instruments.js';
import { instrumentOpossum } from './opossum.js';
import { registry, type Sink } from './registry.js';
import type { CircuitBreakerInstrumentationConfig, OpossumBreakerLike } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const WHERE = 'CircuitBreakerInstrumentation';
/** opossum versions whose events and fields this package reads (tested with 10). */
export const SUPPORTED_OPOSSUM_VERSIONS = ['>=8.0.0 <11'];
/** opossum's generated names (when neither `options.name` nor the action's function name is set). */
const GENERATED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Ctor = new (...args: never[]) => object;

/** The default name of an auto-instrumented opossum breaker: its `name`, unless opossum generated it. */
function defaultOpossumName(breaker: OpossumBreakerLike): string | undefined {
  const name = breaker.name;
  return typeof name === 'string' && !GENERATED_NAME.test(name) ? name : undefined;
}

/**
 * Circuit-breaker metrics for any MeterProvider: creates the instruments (in `_updateMetricInstruments`),
 * feeds the gauges from one batch callback registered on enable and removed on disable, and, unless
 * `patchOpossum` is false, measures every opossum breaker constructed while it is enabled. Breakers of other
 * libraries are added with {@link instrumentCockatiel} and {@link createBreakerRecorder}; each records into
 * every enabled instance of this class.
 *
 * @example
 * ```ts
 * registerInstrumentations({ instrumentations: [new CircuitBreakerInstrumentation()] });
 * ```
 */
export class CircuitBreakerInstrumentation extends InstrumentationBase<CircuitBreakerInstrumentationConfig> {
  // `declare`: the base constructor calls setConfig, _updateMetricInstruments and enable before subclass
  // fields would be initialised, and an initialiser would then overwrite what they set.
  declare private _batch: BatchRegistration<Sink> | undefined;
  declare private _patchedClasses: WeakMap<Ctor, Ctor>;

  constructor(config: CircuitBreakerInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Validates and merges defaults; invalid values throw here, once, naming the key. */
  override setConfig(config: CircuitBreakerInstrumentationConfig = {}): void {
    if (config.patchOpossum !== undefined && typeof config.patchOpossum !== 'boolean') {
      invalid(WHERE, 'patchOpossum', config.patchOpossum, 'a boolean');
    }
    if (config.opossumName !== undefined && typeof config.opossumName !== 'function') {
      invalid(WHERE, 'opossumName', config.opossumName, 'a function');
    }
    optionalSeconds(WHERE, 'slowCallThreshold', config.slowCallThreshold);
    super.setConfig({ patchOpossum: true, ...config });
  }

  protected override init() {
    if (this._config.patchOpossum === false) return [];
    return [
      new InstrumentationNodeModuleDefinition(
        'opossum',
        SUPPORTED_OPOSSUM_VERSIONS,
        (exports: unknown) => this._patchOpossum(exports),
        () => {
          // The patched class stays in the require cache; while disabled its constructor measures nothing.
        },
      ),
    ];
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

  /** Replaces opossum's exported class by a subclass whose constructor measures the new breaker. */
  private _patchOpossum(exports: unknown): unknown {
    const isNamespace = typeof exports === 'object' && exports !== null && 'default' in exports;
    const original = (isNamespace ? (exports as { default: unknown }).default : exports) as Ctor;
    if (typeof original !== 'function') {
      this._diag.warn('opossum does not export a class; breakers will not be measured automatically');
      return exports;
    }
    this._patchedClasses ??= new WeakMap();
    let patched = this._patchedClasses.get(original);
    if (!patched) {
      const self = this;
      patched = class extends original {
        constructor(...args: never[]) {
          super(...args);
          self._onOpossumBreaker(this as unknown as OpossumBreakerLike);
        }
      };
      Object.defineProperty(patched, 'name', { value: original.name });
      this._patchedClasses.set(original, patched);
    }
    if (isNamespace) {
      (exports as { default: unknown }).default = patched;
      return exports;
    }
    return patched;
  }

  private _onOpossumBreaker(breaker: OpossumBreakerLike): void {
    if (!this._enabled) return;
    try {
      const hook = this._config.opossumName;
      const name = hook ? safeCall('opossumName', hook, breaker) : defaultOpossumName(breaker);
      if (typeof name !== 'string' || name.length === 0) {
        this._diag.debug('opossum breaker left unmeasured: no name');
        return;
      }
      instrumentOpossum(breaker, { name, slowCallThreshold: this._config.slowCallThreshold });
    } catch (err) {
      this._diag.error('measuring an opossum breaker failed', err);
    }
  }
}
