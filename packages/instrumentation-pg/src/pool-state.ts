import type { Attributes } from '@opentelemetry/api';
import { ATTR_DB_CLIENT_CONNECTION_POOL_NAME } from './semconv.js';
import type { PoolLike } from './types.js';

/** What this package keeps about one measured pool. It holds the pool weakly. */
export class PoolState {
  readonly ref: WeakRef<PoolLike>;
  /** When a connection started being created, by client. */
  readonly createStart = new WeakMap<object, number>();
  /** When a client was handed out, by client. */
  readonly useStart = new WeakMap<object, number>();
  name: string;
  attributes: Attributes;
  /** Whether the name was given by the application (an automatic name never replaces it). */
  explicit: boolean;

  constructor(pool: PoolLike, name: string, explicit: boolean) {
    this.ref = new WeakRef(pool);
    this.name = name;
    this.attributes = { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name };
    this.explicit = explicit;
  }

  rename(name: string, explicit: boolean): void {
    this.name = name;
    this.attributes = { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name };
    this.explicit = explicit;
  }

  /** The pool, unless it ended or was garbage-collected. */
  live(): PoolLike | undefined {
    const pool = this.ref.deref();
    return pool === undefined || pool.ended === true ? undefined : pool;
  }
}
