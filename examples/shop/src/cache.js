'use strict';
// The product cache: an in-memory L1 (lru-cache) in front of a Redis L2 (ioredis) when REDIS_URL is set;
// without REDIS_URL the L2 layer is off (and the service says so at startup).
const { LRUCache } = require('lru-cache');

function openCache({ redisUrl = process.env.REDIS_URL } = {}) {
  const l1 = new LRUCache({ max: 500, ttl: 30_000 });
  let l2;
  if (redisUrl) {
    const { Redis } = require('ioredis');
    l2 = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    l2.on('error', (err) => console.error(`[shop] redis: ${err.message}`));
  }
  const inflight = new Map();
  return {
    description: redisUrl
      ? `L1 lru-cache (500 entries, 30 s) + L2 Redis at ${new URL(redisUrl).host}`
      : 'L1 lru-cache (500 entries, 30 s); L2 Redis is off (REDIS_URL is not set)',
    l1,
    l2,
    /** L1 → L2 → load, backfilling L1 on an L2 hit; concurrent misses of one key share one load. */
    async get(key, load) {
      const hit = l1.get(key);
      if (hit !== undefined) return hit;
      if (l2) {
        try {
          const raw = await l2.get(key);
          if (raw !== null) {
            const value = JSON.parse(raw);
            l1.set(key, value);
            return value;
          }
        } catch {
          // L2 down: fall through to the origin
        }
      }
      let p = inflight.get(key);
      if (!p) {
        p = load().finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      const value = await p;
      if (value !== null && value !== undefined) {
        l1.set(key, value);
        l2?.set(key, JSON.stringify(value), 'EX', 300).catch(() => undefined);
      }
      return value;
    },
    async close() {
      l2?.disconnect();
    },
  };
}

module.exports = { openCache };
