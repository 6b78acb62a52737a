'use strict';
// The product cache: an in-memory L1 (lru-cache) in front of a Redis L2 (ioredis) when REDIS_URL is set;
// without REDIS_URL the L2 layer is off (and the service says so at startup). createTieredCache does the
// L1 → L2 → origin reads, the L1 backfill on an L2 hit, single-flight loads and the L2-down fallback, and
// measures all of it (cache.gets per layer, cache.requests by path, cache.loads…); the distro's `cache`
// built-in reports it.
const { LRUCache } = require('lru-cache');
const { createTieredCache } = require('@otel-perf/instrumentation-cache');

function openCache({ redisUrl = process.env.REDIS_URL } = {}) {
  const l1 = new LRUCache({ max: 500, ttl: 30_000 });
  let l2;
  if (redisUrl) {
    const { Redis } = require('ioredis');
    l2 = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    l2.on('error', (err) => console.error(`[shop] redis: ${err.message}`));
  }
  const products = createTieredCache({ name: 'products', l1, l2, ttl: 30_000, l2Ttl: 300_000 });
  return {
    description: redisUrl
      ? `L1 lru-cache (500 entries, 30 s) + L2 Redis at ${new URL(redisUrl).host}`
      : 'L1 lru-cache (500 entries, 30 s); L2 Redis is off (REDIS_URL is not set)',
    l1,
    l2,
    /** L1 → L2 → load, backfilling L1 on an L2 hit; concurrent misses of one key share one load. */
    get: (key, load) => products.get(key, load),
    async close() {
      l2?.disconnect();
    },
  };
}

module.exports = { openCache };
