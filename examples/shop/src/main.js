'use strict';
// The shop service. Start it with the preload:
//   node --require @otel-perf/node/register src/main.js
// PORT (default 3000); DATABASE_URL (default: embedded PGlite); REDIS_URL (default: no L2).
const CircuitBreaker = require('opossum');
const { createApp } = require('./app');
const { openCache } = require('./cache');
const { openDatabase } = require('./db');
const { authorise, startPaymentsUpstream } = require('./upstream');

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const db = await openDatabase();
  const cache = openCache();
  const upstream = await startPaymentsUpstream();
  const breaker = new CircuitBreaker((amount) => authorise(upstream.url, amount), {
    name: 'payments',
    timeout: 1000,
    errorThresholdPercentage: 50,
    resetTimeout: 5000,
    rollingCountTimeout: 10_000,
    volumeThreshold: 10,
  });
  const chaos = { dbSlowMs: 0 };
  const app = createApp({ db, cache, payments: { breaker, upstream }, chaos });
  const server = app.listen(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(`[shop] listening on ${url}`);
  console.log(`[shop] database: ${db.description}`);
  console.log(`[shop] cache: ${cache.description}`);
  console.log(`[shop] payments upstream: ${upstream.url} behind circuit breaker "payments"`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`[shop] ${signal}: shutting down`);
    server.closeAllConnections();
    server.close();
    breaker.shutdown();
    await Promise.allSettled([db.stop(), cache.close(), upstream.stop()]);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return { url, server };
}

main().catch((err) => {
  console.error(`[shop] failed to start: ${err.stack ?? err}`);
  process.exitCode = 1;
});
