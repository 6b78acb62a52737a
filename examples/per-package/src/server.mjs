// `node src/server.mjs`: a small product API on node:http, instrumented package by package (no preload).
// PORT (default 3001), METRICS_PORT (default 9465), and the standard PG* variables for PostgreSQL.
import { createServer } from 'node:http';
import { createHealth, pgCheck } from '@otel-perf/health';
import { instrumentLruCache } from '@otel-perf/instrumentation-cache';
import { instrumentOpossum } from '@otel-perf/instrumentation-circuit-breaker';
import { instrumentPool } from '@otel-perf/instrumentation-pg';
import { LRUCache } from 'lru-cache';
import CircuitBreaker from 'opossum';
import pg from 'pg';
import { startTelemetry } from './telemetry.mjs';

const telemetry = startTelemetry({
  serviceName: 'per-package-example',
  metricsPort: Number(process.env.METRICS_PORT ?? 9465),
  onAlert: (alert) => console.log(`[alert] ${alert.level} ${alert.reason}`),
});

const pool = new pg.Pool({ max: 5, connectionTimeoutMillis: 2000 });
pool.on('error', (err) => console.error('[db] idle client error', err.message));
instrumentPool(pool, { name: 'main' });

const cache = instrumentLruCache(new LRUCache({ max: 100, ttl: 30_000 }), { name: 'products', layer: 'l1' });

// A dependency that fails on demand (?fail=1), behind a breaker.
const breaker = new CircuitBreaker(
  async (fail) => {
    if (fail) throw new Error('upstream failed');
    return 'ok';
  },
  { name: 'upstream', timeout: 1000, resetTimeout: 5000, volumeThreshold: 5 },
);
breaker.fallback(() => 'fallback');
instrumentOpossum(breaker);

const health = createHealth({ checks: [pgCheck(pool, { name: 'main' })] }).start();

async function product(id) {
  const hit = cache.get(id);
  if (hit) return hit;
  const { rows } = await pool.query('SELECT $1::int AS id, md5($1::text) AS name', [id]);
  cache.set(id, rows[0]);
  return rows[0];
}

const server = createServer(async (req, res) => {
  try {
    if (await health.handle(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = url.pathname.match(/^\/products\/(\d+)$/);
    if (m) return json(res, 200, await product(Number(m[1])));
    if (url.pathname === '/upstream')
      return json(res, 200, { result: await breaker.fire(url.searchParams.has('fail')) });
    json(res, 404, { error: 'not found' });
  } catch (err) {
    json(res, 500, { error: String(err.message ?? err) });
  }
});
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
  console.log(
    `listening http://127.0.0.1:${server.address().port} metrics http://127.0.0.1:${process.env.METRICS_PORT ?? 9465}/metrics`,
  );
});
process.once('SIGTERM', async () => {
  server.close();
  health.close();
  await pool.end();
  await telemetry.shutdown();
});
