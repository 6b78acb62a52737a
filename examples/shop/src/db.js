'use strict';
// The database: a real pg pool. With DATABASE_URL it connects there; without it, it serves a real PostgreSQL
// in-process (PGlite) on a loopback port through pglite-socket, so the real `pg` pool and its instrumentation
// are exercised with nothing installed.
const pg = require('pg');

const SCHEMA = `
create table if not exists products (id serial primary key, name text not null, price_cents int not null, stock int not null);
create table if not exists orders (id serial primary key, product_id int not null references products(id), quantity int not null, total_cents int not null, created_at timestamptz not null default now());
`;

async function startEmbedded() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    config: { host, port: Number(port), user: 'postgres', database: 'postgres' },
    description: `embedded PostgreSQL (PGlite) on ${host}:${port}`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Opens the pool (max 10) and creates and seeds the schema. Returns { pool, description, stop }.
 */
async function openDatabase({ url = process.env.DATABASE_URL, max = 10 } = {}) {
  const embedded = url ? undefined : await startEmbedded();
  const pool = new pg.Pool({
    ...(url ? { connectionString: url } : embedded.config),
    max,
    // Names the pool in pg_stat_activity and in the pool metrics (db.client.connection.pool.name).
    application_name: 'shop',
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => console.error(`[shop] idle database client error: ${err.message}`));
  await pool.query(SCHEMA);
  const { rows } = await pool.query('select count(*)::int as n from products');
  if (rows[0].n === 0) {
    const values = [];
    for (let i = 1; i <= 200; i++) values.push(`('product ${i}', ${100 + ((i * 37) % 9900)}, ${1000 + i})`);
    await pool.query(`insert into products (name, price_cents, stock) values ${values.join(',')}`);
  }
  return {
    pool,
    description: embedded ? embedded.description : `PostgreSQL at ${new URL(url).host}`,
    async stop() {
      await pool.end();
      await embedded?.stop();
    },
  };
}

module.exports = { openDatabase };
