import { invalid } from './guard.js';
import type { RemoteStore } from './types.js';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * The {@link RemoteStore} view of an L2: an ioredis client, a node-redis client, or a RemoteStore as is.
 * Calls go through the client's own methods, so a client instrumented with `instrumentIoredis` /
 * `instrumentNodeRedis` still counts them itself.
 */
export function toRemoteStore(where: string, l2: unknown): RemoteStore {
  const c = l2 as Record<string, AnyFn | unknown> | null;
  if (typeof c !== 'object' || c === null)
    invalid(where, 'l2', l2, 'an ioredis or node-redis client or a RemoteStore');
  const call = (m: string, ...args: unknown[]) => (c[m] as AnyFn).apply(c, args);
  if (typeof c.isOpen === 'boolean' && typeof c.mGet === 'function') {
    // node-redis
    return {
      get: (k) => call('get', k) as Promise<string | null>,
      set: (k, v, ttl) => (ttl ? call('set', k, v, { PX: Math.ceil(ttl) }) : call('set', k, v)),
      delete: (k) => call('del', k),
    };
  }
  if (typeof c.getBuffer === 'function' && typeof c.del === 'function') {
    // ioredis
    return {
      get: (k) => call('get', k) as Promise<string | null>,
      set: (k, v, ttl) => (ttl ? call('set', k, v, 'PX', Math.ceil(ttl)) : call('set', k, v)),
      delete: (k) => call('del', k),
    };
  }
  if (typeof c.get === 'function' && typeof c.set === 'function' && typeof c.delete === 'function') {
    return c as unknown as RemoteStore;
  }
  return invalid(where, 'l2', l2, 'an ioredis or node-redis client or an object with get, set and delete');
}
