'use strict';
// The bench's load process. Both cases run here, alternately, so they share the machine's state: the
// instrumentation is created with a real MeterProvider (a reader collecting every second) and is enabled only
// for the `instrumented` phases. `bare` phases use a pool constructed while it was disabled, with pg's
// Client.prototype.query unpatched (disable() restores it): the code path of an app without the
// instrumentation. `instrumented, fast path` phases enable a second instrumentation with `fastPath: true`
// instead, whose histograms reach the same reader through its MetricProducer (as in the distro). Each phase: `concurrency` callers keep a pool of 10 busy for `ms` milliseconds.
const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } =
  require('@opentelemetry/sdk-metrics');
const { PgInstrumentation } = require('@otel-perf/instrumentation-pg');

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const instrumentation = new PgInstrumentation({ enabled: false });
const fastInstrumentation = new PgInstrumentation({ enabled: false, fastPath: true });
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 1000,
      metricProducers: [fastInstrumentation.metricProducer()],
    }),
  ],
});
instrumentation.setMeterProvider(meterProvider);
fastInstrumentation.setMeterProvider(meterProvider);
instrumentation.enable(); // installs the require hooks
fastInstrumentation.enable();
const pg = require('pg');

const config = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  application_name: 'otel-perf-pg-bench',
  max: 10,
};
const instrumentedPool = new pg.Pool(config);
instrumentation.disable();
fastInstrumentation.disable();
const barePool = new pg.Pool(config);

const SQL = 'select $1::int as n, $2::text as who from pg_catalog.pg_class limit 1';

async function phase(pool, ms, concurrency) {
  let done = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (performance.now() < end) {
        await pool.query(SQL, [done, `w${w}`]);
        done++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuStart);
  return { qps: done / ((performance.now() - start) / 1000), cpuUsPerQuery: (cpu.user + cpu.system) / done };
}

async function run({ case: name, ms, concurrency }) {
  const instrumented = name === 'instrumented' || name === 'fast-path';
  instrumentation.disable();
  fastInstrumentation.disable();
  if (name === 'instrumented') instrumentation.enable();
  if (name === 'fast-path') fastInstrumentation.enable();
  try {
    // `wrapped-disabled`: the measured pool with the instrumentation off (what its pass-through wrappers cost).
    const pool = instrumented || name === 'wrapped-disabled' ? instrumentedPool : barePool;
    return await phase(pool, ms, concurrency);
  } finally {
    instrumentation.disable();
    fastInstrumentation.disable();
  }
}

process.on('message', (msg) => {
  if (msg === 'stop') {
    Promise.all([barePool.end(), instrumentedPool.end(), meterProvider.shutdown()]).then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(String(err?.stack ?? err));
        process.exit(1);
      },
    );
    return;
  }
  run(msg).then(
    (result) => process.send({ ok: true, result }),
    (err) => process.send({ ok: false, error: String(err?.stack ?? err) }),
  );
});
// Warm up both paths (connections opened, JIT settled), then say ready.
(async () => {
  await run({ case: 'bare', ms: 1000, concurrency: 20 });
  await run({ case: 'instrumented', ms: 1000, concurrency: 20 });
  await run({ case: 'fast-path', ms: 1000, concurrency: 20 });
  // The fast path must have measured its phase (else the case would measure nothing).
  const { resourceMetrics } = await fastInstrumentation.metricProducer().collect();
  const duration = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'db.client.operation.duration');
  if (!duration || duration.dataPoints.reduce((n, p) => n + p.value.count, 0) === 0) {
    throw new Error('the fast path recorded no query');
  }
  process.send('ready');
})().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
