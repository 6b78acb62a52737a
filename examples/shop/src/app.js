'use strict';
// The shop's HTTP API (express). Nothing here knows about metrics: the preload measures it.
const express = require('express');

/**
 * Builds the express app.
 * deps: { db: { pool }, cache: { get(key, load) }, payments: { breaker, upstream }, chaos }
 */
function createApp({ db, cache, payments, chaos }) {
  const app = express();
  app.use(express.json({ limit: '100kb' }));

  const maybeSlowDb = async () => {
    if (chaos.dbSlowMs > 0) await db.pool.query('select pg_sleep($1)', [chaos.dbSlowMs / 1000]);
  };

  app.get('/products', async (req, res) => {
    const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
    await maybeSlowDb();
    const { rows } = await db.pool.query('select id, name, price_cents from products order by id limit $1', [
      limit,
    ]);
    res.json(rows);
  });

  app.get('/products/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1)
      return res.status(400).json({ error: 'id must be a positive integer' });
    const product = await cache.get(`product:${id}`, async () => {
      await maybeSlowDb();
      const { rows } = await db.pool.query(
        'select id, name, price_cents, stock from products where id = $1',
        [id],
      );
      return rows[0] ?? null;
    });
    if (!product) return res.status(404).json({ error: 'no such product' });
    res.json(product);
  });

  app.post('/orders', async (req, res) => {
    const productId = Number(req.body?.productId);
    const quantity = Number(req.body?.quantity ?? 1);
    if (!Number.isInteger(productId) || !Number.isInteger(quantity) || quantity < 1) {
      return res.status(400).json({ error: 'productId and quantity must be positive integers' });
    }
    const { rows } = await db.pool.query('select price_cents from products where id = $1', [productId]);
    if (!rows[0]) return res.status(404).json({ error: 'no such product' });
    const total = rows[0].price_cents * quantity;
    try {
      await payments.breaker.fire(total);
    } catch (err) {
      return res.status(503).json({ error: `payment failed: ${err.message}` });
    }
    const order = await db.pool.query(
      'insert into orders (product_id, quantity, total_cents) values ($1, $2, $3) returning id, total_cents',
      [productId, quantity, total],
    );
    res.status(201).json(order.rows[0]);
  });

  app.get('/orders/:id', async (req, res) => {
    const { rows } = await db.pool.query('select * from orders where id = $1', [Number(req.params.id) || 0]);
    if (!rows[0]) return res.status(404).json({ error: 'no such order' });
    res.json(rows[0]);
  });

  // Endpoints that misbehave on demand, so every metric and anomaly rule can be seen firing.
  app.get('/slow', async (req, res) => {
    const ms = Math.min(Number(req.query.ms ?? 1500) || 0, 15_000);
    await new Promise((r) => setTimeout(r, ms));
    res.json({ sleptMs: ms });
  });

  app.get('/error', (req, res) => {
    const rate = Math.min(Math.max(Number(req.query.rate ?? 1), 0), 1);
    if (Math.random() < rate) return res.status(500).json({ error: 'injected failure' });
    res.json({ ok: true });
  });

  app.get('/cpu', (req, res) => {
    const ms = Math.min(Number(req.query.ms ?? 200) || 0, 5000);
    const end = Date.now() + ms;
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    res.json({ busyMs: ms, x: Math.round(x) });
  });

  const leaked = [];
  let leakTimer;
  app.post('/chaos/leak', (req, res) => {
    const on = req.body?.on !== false;
    clearInterval(leakTimer);
    leakTimer = undefined;
    if (on) {
      const mbPerSecond = Math.min(Number(req.body?.mbPerSecond ?? 2) || 2, 50);
      leakTimer = setInterval(
        () => leaked.push(Buffer.alloc(mbPerSecond * 1024 * 1024, 1).toString('latin1')),
        1000,
      );
      leakTimer.unref();
    } else {
      leaked.length = 0;
    }
    res.json({ leaking: on, retainedChunks: leaked.length });
  });

  app.post('/chaos', (req, res) => {
    const b = req.body ?? {};
    if (b.dbSlowMs !== undefined) chaos.dbSlowMs = Math.min(Math.max(Number(b.dbSlowMs) || 0, 0), 10_000);
    if (b.paymentsFailRate !== undefined)
      payments.upstream.settings.failRate = Math.min(Math.max(Number(b.paymentsFailRate) || 0, 0), 1);
    if (b.paymentsLatencyMs !== undefined)
      payments.upstream.settings.latencyMs = Math.min(Math.max(Number(b.paymentsLatencyMs) || 0, 0), 10_000);
    res.json({ dbSlowMs: chaos.dbSlowMs, payments: payments.upstream.settings });
  });

  app.use((err, _req, res, _next) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}

module.exports = { createApp };
