import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeProcess, runNode } from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  appPort,
  closedPort,
  FIXTURES,
  httpGet,
  metricsUrl,
  type Preload,
  parsePrometheus,
  runApp,
  type Sample,
  sendRequests,
} from '../helpers.js';

const running: NodeProcess[] = [];
function app(...args: Parameters<typeof runApp>): NodeProcess {
  const p = runApp(...args);
  running.push(p);
  return p;
}
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
});

const dir = mkdtempSync(join(tmpdir(), 'otel-perf-preload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUCKET = 'http_server_request_duration_seconds_bucket';
const COUNT = 'http_server_request_duration_seconds_count';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function scrape(p: NodeProcess): Promise<Sample[]> {
  const res = await httpGet(`${await metricsUrl(p)}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheus(res.body);
}

function leBoundaries(samples: Sample[], route: string): number[] {
  return samples
    .filter((s) => s.name === BUCKET && s.labels.http_route === route)
    .map((s) => Number(s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : s.labels.le));
}

describe.each<[Preload, string]>([
  ['require', 'server.cjs'],
  ['import', 'server.mjs'],
])('node --%s @otel-perf/node/register %s', (preload, script) => {
  it('serves http_server_request_duration_seconds with our buckets, the route and the request count', async () => {
    const p = app(script, { preload, env: { OTEL_SERVICE_NAME: `fixture-${preload}` } });
    const port = await appPort(p);
    await sendRequests(port, ['/users/1', '/users/22', '/users/333', '/health']);
    const samples = await scrape(p);

    expect(leBoundaries(samples, '/users/:id')).toEqual([...HTTP_DURATION_BUCKETS, Number.POSITIVE_INFINITY]);
    const count = samples.find((s) => s.name === COUNT && s.labels.http_route === '/users/:id');
    expect(count?.value).toBe(3);
    expect(count?.labels).toMatchObject({ http_request_method: 'GET', http_response_status_code: '200' });
    expect(samples.find((s) => s.name === COUNT && s.labels.http_route === '/health')?.value).toBe(1);
    // The scrape itself is not app traffic.
    expect(samples.filter((s) => s.name === COUNT).map((s) => s.labels.http_route)).not.toContain('/metrics');
    // Cumulative buckets: the +Inf bucket holds every request.
    const inf = samples.find(
      (s) => s.name === BUCKET && s.labels.http_route === '/users/:id' && s.labels.le === '+Inf',
    );
    expect(inf?.value).toBe(3);

    // The runtime built-in is on by default: the event-loop delay histogram is served.
    expect(samples.some((s) => s.name === 'nodejs_eventloop_delay_seconds_bucket')).toBe(true);

    const target = samples.find((s) => s.name === 'target_info');
    expect(target?.labels.service_name).toBe(`fixture-${preload}`);
    expect(target?.labels.service_version).toBe('1.2.3');
    expect(target?.labels.service_instance_id).toMatch(UUID);
    expect(target?.labels.process_pid).toBe(String(p.child.pid));
    expect(target?.labels.host_name).toBeTruthy();

    // One distro per process: the module-hooks thread (and any worker) runs the preload again and must
    // not start a second one.
    expect(p.stderr().match(/metrics server listening on/g)).toHaveLength(1);
    expect(p.stderr()).not.toMatch(/import-in-the-middle' hook has already been initialized/);
  });
});

describe('the preload', () => {
  it('registers the ESM loader hook for modules an instrumentation patches (import of node:os)', async () => {
    const p = app('hostname.mjs', { preload: 'none' });
    const bare = await p.waitForOutput(/hostname (\S+)/);
    expect(bare[1]).not.toBe('patched-by-fixture');

    const hooked = runNode(['--import', './esm-preload.mjs', 'hostname.mjs'], {
      cwd: FIXTURES,
      env: { OTEL_METRICS_EXPORTER: 'none' },
    });
    running.push(hooked);
    const m = await hooked.waitForOutput(/hostname (\S+)/);
    expect(m[1]).toBe('patched-by-fixture');
    expect(await hooked.exited).toEqual({ code: 0, signal: null });
  });

  it('each process gets its own service.instance.id', async () => {
    const a = app('server.cjs');
    const b = app('server.cjs');
    const [sa, sb] = await Promise.all([scrape(a), scrape(b)]);
    const id = (s: Sample[]) => s.find((x) => x.name === 'target_info')?.labels.service_instance_id;
    expect(id(sa)).toMatch(UUID);
    expect(id(sb)).toMatch(UUID);
    expect(id(sa)).not.toBe(id(sb));
  });

  it('follows the config file: bucket override and resource attributes (env wins over the file)', async () => {
    const config = join(dir, 'buckets.yaml');
    writeFileSync(
      config,
      [
        'views:',
        '  buckets:',
        '    http.server.request.duration: [0.25, 0.5, 1]',
        'resourceAttributes: { deployment.environment.name: staging, team: web }',
      ].join('\n'),
    );
    const p = app('server.cjs', {
      env: { OTEL_PERF_CONFIG: config, OTEL_RESOURCE_ATTRIBUTES: 'team=api' },
    });
    await sendRequests(await appPort(p), ['/x']);
    const samples = await scrape(p);
    expect(leBoundaries(samples, '/x')).toEqual([0.25, 0.5, 1, Number.POSITIVE_INFINITY]);
    const target = samples.find((s) => s.name === 'target_info');
    expect(target?.labels.deployment_environment_name).toBe('staging');
    expect(target?.labels.team).toBe('api');
  });

  it('http: false in the config file turns HTTP metrics off', async () => {
    const config = join(dir, 'no-http.json');
    writeFileSync(config, JSON.stringify({ http: false }));
    const p = app('server.cjs', { env: { OTEL_PERF_CONFIG: config } });
    await sendRequests(await appPort(p), ['/x']);
    const samples = await scrape(p);
    expect(samples.some((s) => s.name === 'target_info')).toBe(true);
    expect(samples.some((s) => s.name.startsWith('http_server'))).toBe(false);
  });

  it('stops startup with the key, value and allowed values when the config file is invalid', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'prometheus:\n  port: 99999\n');
    const p = app('server.cjs', { env: { OTEL_PERF_CONFIG: config } });
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.stdout()).not.toContain('listening');
    expect(p.stderr()).toContain(
      `otel-perf: invalid configuration in ${config}: prometheus.port is 99999; allowed: an integer from 0 to 65535`,
    );
  });

  it('stops startup on an invalid environment variable', async () => {
    const p = app('server.cjs', { env: { OTEL_METRICS_EXPORTER: 'prometheus,statsd' } });
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toContain('OTEL_METRICS_EXPORTER is "prometheus,statsd"; allowed:');
  });

  it('OTEL_SDK_DISABLED=true sets nothing up (no metrics server, config not read)', async () => {
    const port = await closedPort();
    const p = app('server.cjs', {
      env: {
        OTEL_SDK_DISABLED: 'true',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
        OTEL_PERF_CONFIG: join(dir, 'does-not-exist.yaml'),
      },
    });
    const appP = await appPort(p);
    expect((await httpGet(`http://127.0.0.1:${appP}/x`)).status).toBe(200);
    await expect(httpGet(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(/ECONNREFUSED/);
    expect(p.stderr()).not.toContain('otel-perf');
  });

  it('prints the endpoint notice at OTEL_LOG_LEVEL=info and stays quiet by default', async () => {
    const quiet = app('server.cjs', { env: { OTEL_PERF_PRINT_ENDPOINTS: '' } });
    await appPort(quiet);
    const loud = app('server.cjs', { env: { OTEL_PERF_PRINT_ENDPOINTS: '', OTEL_LOG_LEVEL: 'info' } });
    await metricsUrl(loud);
    // Both apps are up and serving; only the second one announced the endpoint.
    expect(quiet.stderr()).not.toContain('metrics server listening');
  });

  it('the metrics server answers 404 off its routes and does not keep a finished app alive', async () => {
    const p = app('batch.mjs', { preload: 'import', env: { BATCH_EXIT_CODE: '0' } });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stdout()).toContain('batch done');
    const server = app('server.cjs');
    const url = await metricsUrl(server);
    expect((await httpGet(`${url}/nope`)).status).toBe(404);
  });
});
