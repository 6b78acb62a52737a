'use strict';
// `npm start`: runs the shop with the otel-perf preload and the load generator, on embedded defaults.
// Prints where to look. Ctrl-C stops both. DEMO_DURATION (seconds, default 600) bounds the load.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');

const here = __dirname;
// The alert API's write routes (acknowledge, silence) need a bearer token; the demo makes one per run and
// prints it for the dashboard's token field.
const token = process.env.OTEL_PERF_ANOMALY_API_TOKEN ?? randomBytes(18).toString('base64url');
const env = {
  ...process.env,
  OTEL_PERF_ANOMALY_API_TOKEN: token,
  OTEL_PERF_CONFIG: process.env.OTEL_PERF_CONFIG ?? join(here, '..', 'otel-perf.yaml'),
  OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? 'shop',
  PORT: process.env.PORT ?? '3000',
};
const children = new Set();
const run = (args, options = {}) => {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
};

const service = run(['--require', '@otel-perf/node/register', join(here, 'main.js')], {
  cwd: join(here, '..'),
});
let appUrl;
let metricsUrl;
let loadStarted = false;
const onLine = (line) => {
  process.stdout.write(`${line}\n`);
  appUrl ??= line.match(/\[shop\] listening on (\S+)/)?.[1];
  metricsUrl ??= line.match(/otel-perf: metrics server listening on (\S+)/)?.[1];
  if (appUrl && metricsUrl && !loadStarted) {
    loadStarted = true;
    console.log(`
  the shop        ${appUrl}/products/1
  metrics         ${metricsUrl}/metrics
  health          ${metricsUrl}/health/live  ${metricsUrl}/health/ready  ${metricsUrl}/health/performance?detailed=true
  dashboard       ${metricsUrl}/dashboard/   (API token for acknowledge / silence: ${token})
  alerts          ${metricsUrl}/api/alerts
  make it misbehave: curl -XPOST -H 'content-type: application/json' -d '{"paymentsFailRate":0.8}' ${appUrl}/chaos
                     curl -XPOST -H 'content-type: application/json' -d '{"on":true}' ${appUrl}/chaos/leak
  load generator  running the steady / spike / errors / slow-database cycle for ${process.env.DEMO_DURATION ?? 600} s
`);
    const load = run([
      join(here, 'loadgen.js'),
      '--target',
      appUrl,
      '--scenario',
      'cycle',
      '--duration',
      process.env.DEMO_DURATION ?? '600',
    ]);
    pipeLines(load);
  }
};
function pipeLines(child) {
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.setEncoding('utf8').on('data', (d) => {
      buf += d;
      let i = buf.indexOf('\n');
      while (i >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
  }
}
pipeLines(service);
service.on('exit', (code, signal) => {
  for (const c of children) c.kill('SIGTERM');
  process.exitCode = code ?? (signal ? 0 : 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of children) c.kill('SIGTERM');
  });
}
