'use strict';
// One bench run in its own process (pg is patched process-wide, so bare and instrumented runs cannot share
// one): `concurrency` callers keep a pool of 10 busy with a one-row query for `durationMs`, and the process
// prints the queries per second. With BENCH_PG_INSTRUMENTED=1 the instrumentation is enabled first, on a
// MeterProvider whose reader collects every 500 ms (so collection is part of the cost).
const durationMs = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 20);

let shutdown = async () => {};
if (process.env.BENCH_PG_INSTRUMENTED === '1') {
  const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } =
    require('@opentelemetry/sdk-metrics');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { PgInstrumentation } = require('@otel-perf/instrumentation-pg');
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 500 })],
  });
  registerInstrumentations({ instrumentations: [new PgInstrumentation()], meterProvider });
  shutdown = () => meterProvider.shutdown();
}
const pg = require('pg');

async function main() {
  const pool = new pg.Pool({
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    application_name: 'otel-perf-pg-bench',
    max: 10,
  });
  // Warm up: open the 10 connections and let the JIT settle.
  await Promise.all(Array.from({ length: 200 }, (_, i) => pool.query('select $1::int as n', [i])));
  let done = 0;
  const end = performance.now() + durationMs;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < end) {
        await pool.query('select $1::int as n, $2::text as who from pg_catalog.pg_class limit 1', [
          done,
          `w${w}`,
        ]);
        done++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await pool.end();
  await shutdown();
  process.stdout.write(
    `${JSON.stringify({ qps: done / seconds, cpuUsPerQuery: (cpu.user + cpu.system) / done })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exitCode = 1;
});
