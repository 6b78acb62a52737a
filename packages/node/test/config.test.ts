import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Builtin } from '../src/builtin.js';
import { BUILTINS } from '../src/builtins.js';
import { loadConfigFile, resolveConfig } from '../src/config.js';
import { configFromEnv } from '../src/env.js';
import { configSchema } from '../src/schema.js';
import type { StartOptions } from '../src/types.js';
import { ConfigError } from '../src/validate.js';

const dir = mkdtempSync(join(tmpdir(), 'otel-perf-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `config-${n++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError `fn` throws (fails the test if it throws something else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('built-in sections', () => {
  it('no built-in is named like one of the distro config keys', () => {
    const schema = configSchema({});
    const keys = schema.type === 'object' ? Object.keys(schema.properties) : [];
    expect(keys).toContain('serviceName');
    expect(Object.keys(BUILTINS).filter((name) => keys.includes(name))).toEqual([]);
  });
});

describe('defaults', () => {
  it('with an empty environment: Prometheus on 127.0.0.1:9464, OTLP http/protobuf to localhost:4318', () => {
    const c = resolveConfig({ env: {} });
    expect(c.disabled).toBe(false);
    expect(c.exporters).toEqual(['prometheus']);
    expect(c.prometheus).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(c.otlp).toEqual({
      endpoint: 'http://localhost:4318/v1/metrics',
      protocol: 'http/protobuf',
      headers: {},
      compression: 'none',
      timeoutMillis: 10_000,
      temporalityPreference: 'cumulative',
      exportIntervalMillis: 60_000,
    });
    expect(c.shutdownTimeoutMillis).toBe(2000);
    expect(c.logLevel).toBe('warn');
    expect(c.serviceName).toBeUndefined();
    expect(c.configFile).toBeUndefined();
  });

  it('the default gRPC endpoint is the collector gRPC port without a path', () => {
    expect(resolveConfig({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }).otlp.endpoint).toBe(
      'http://localhost:4317',
    );
  });
});

describe('environment variables', () => {
  it('reads every standard variable', () => {
    const c = resolveConfig({
      env: {
        OTEL_SERVICE_NAME: 'checkout',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=pay%2Cments',
        OTEL_METRICS_EXPORTER: 'otlp, prometheus',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-a=1',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-a=2',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP',
        OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
        OTEL_METRIC_EXPORT_INTERVAL: '15000',
        OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
        OTEL_LOG_LEVEL: 'DEBUG',
        OTEL_PERF_SHUTDOWN_TIMEOUT: '500',
        OTEL_PERF_PRINT_ENDPOINTS: 'true',
      },
    });
    expect(c.serviceName).toBe('checkout');
    expect(c.resourceAttributes).toEqual({ 'deployment.environment.name': 'prod', team: 'pay,ments' });
    expect(c.exporters).toEqual(['otlp', 'prometheus']);
    expect(c.otlp).toEqual({
      endpoint: 'http://collector:4318/v1/metrics',
      protocol: 'http/json',
      headers: { authorization: 'Bearer abc', 'x-a': '2' },
      compression: 'gzip',
      timeoutMillis: 5000,
      temporalityPreference: 'delta',
      exportIntervalMillis: 15_000,
    });
    expect(c.prometheus).toEqual({ host: '0.0.0.0', port: 0 });
    expect(c.logLevel).toBe('debug');
    expect(c.shutdownTimeoutMillis).toBe(500);
    expect(c.printEndpoints).toBe(true);
  });

  it('signal-specific OTLP variables win over the generic ones; the metrics endpoint is used as is', () => {
    const c = resolveConfig({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://metrics:9999/custom',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
        OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '7000',
      },
    });
    expect(c.otlp.endpoint).toBe('http://metrics:9999/custom');
    expect(c.otlp.protocol).toBe('http/protobuf');
    expect(c.otlp.timeoutMillis).toBe(7000);
  });

  it('with grpc the generic endpoint is not given a /v1/metrics path', () => {
    const c = resolveConfig({
      env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' },
    });
    expect(c.otlp.endpoint).toBe('http://collector:4317');
  });

  it('OTEL_METRICS_EXPORTER=none means no exporter', () => {
    expect(resolveConfig({ env: { OTEL_METRICS_EXPORTER: 'none' } }).exporters).toEqual([]);
  });

  it('OTEL_SDK_DISABLED accepts true/false in any case', () => {
    expect(resolveConfig({ env: { OTEL_SDK_DISABLED: 'TRUE' } }).disabled).toBe(true);
    expect(resolveConfig({ env: { OTEL_SDK_DISABLED: 'false' } }).disabled).toBe(false);
  });

  it.each([
    ['OTEL_METRICS_EXPORTER', 'prometeus', 'a comma-separated list of prometheus and otlp, or none'],
    ['OTEL_METRICS_EXPORTER', 'prometheus,none', 'a comma-separated list of prometheus and otlp, or none'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http', 'one of http/protobuf, http/json, grpc'],
    ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'thrift', 'one of http/protobuf, http/json, grpc'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'an absolute http(s) URL'],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'not a url', 'an absolute http(s) URL'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'authorization', 'a comma-separated list of key=value pairs'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zstd', 'one of gzip, none'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '10s', 'an integer from 1 to'],
    ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'sometimes', 'one of cumulative, delta, lowmemory'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '0', 'an integer from 1 to'],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '70000', 'an integer from 0 to 65535'],
    ['OTEL_EXPORTER_PROMETHEUS_PORT', '-1', 'an integer from 0 to 65535'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'a=1,=2', 'a comma-separated list of key=value pairs'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'a=%E0%A4%A', 'key=value pairs with percent-encoded values'],
    ['OTEL_SDK_DISABLED', 'yes', 'true or false'],
    ['OTEL_LOG_LEVEL', 'loud', 'one of none, error, warn, info, debug, verbose, all'],
    ['OTEL_PERF_SHUTDOWN_TIMEOUT', '120000', 'an integer from 100 to 60000'],
    ['OTEL_PERF_SHUTDOWN_TIMEOUT', '50', 'an integer from 100 to 60000'],
    ['OTEL_PERF_PRINT_ENDPOINTS', '1', 'true or false'],
  ])('%s=%s is rejected with its name, value and what is allowed', (name, value, allowed) => {
    const err = configError(() => configFromEnv({ [name]: value }));
    expect(err.key).toBe(name);
    expect(err.value).toBe(value);
    expect(err.allowed).toContain(allowed);
    expect(err.message).toContain(name);
    expect(err.message).toContain(JSON.stringify(value));
    expect(err.message).toContain(allowed);
  });

  it('empty variables count as unset', () => {
    expect(configFromEnv({ OTEL_METRICS_EXPORTER: '', OTEL_EXPORTER_PROMETHEUS_PORT: '  ' })).toEqual({});
  });
});

describe('config file', () => {
  const yaml = `
serviceName: from-file
resourceAttributes: { team: core, region: eu }
exporters: [otlp]
prometheus: { port: 9999 }
otlp:
  protocol: http/json
  headers: { x-file: "1" }
  timeoutMillis: 3000
views:
  buckets:
    http.server.request.duration: [0.1, 0.5, 1]
    db.client.operation.duration: db
  attributes:
    http.server.request.duration: [http.request.method, http.route]
  cardinalityLimit: 100
http: { enabled: true }
shutdownTimeoutMillis: 1500
`;

  it('reads YAML', () => {
    const c = resolveConfig({ env: { OTEL_PERF_CONFIG: file(yaml) } });
    expect(c.serviceName).toBe('from-file');
    expect(c.exporters).toEqual(['otlp']);
    expect(c.prometheus).toEqual({ host: '127.0.0.1', port: 9999 });
    expect(c.otlp.protocol).toBe('http/json');
    expect(c.otlp.headers).toEqual({ 'x-file': '1' });
    expect(c.otlp.timeoutMillis).toBe(3000);
    expect(c.views).toEqual({
      buckets: { 'http.server.request.duration': [0.1, 0.5, 1], 'db.client.operation.duration': 'db' },
      attributes: { 'http.server.request.duration': ['http.request.method', 'http.route'] },
      cardinalityLimit: 100,
      maxSeriesPerInstrument: 2000,
    });
    expect(c.builtins).toEqual({ http: { enabled: true } });
    expect(c.shutdownTimeoutMillis).toBe(1500);
    expect(c.configFile).toMatch(/config-\d+\.yaml$/);
  });

  it('reads JSON', () => {
    const path = file(JSON.stringify({ serviceName: 'json-svc', exporters: [] }), 'json');
    const c = resolveConfig({ configFile: path, env: {} });
    expect(c.serviceName).toBe('json-svc');
    expect(c.exporters).toEqual([]);
  });

  it('an empty file is an empty config', () => {
    expect(loadConfigFile(file(''))).toEqual({});
  });

  it('environment variables override the file, key by key; start() options override both', () => {
    const env = {
      OTEL_PERF_CONFIG: file(yaml),
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'region=us',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-env=2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '4000',
    };
    const fromEnv = resolveConfig({ env });
    expect(fromEnv.serviceName).toBe('from-env');
    expect(fromEnv.resourceAttributes).toEqual({ team: 'core', region: 'us' });
    expect(fromEnv.otlp.headers).toEqual({ 'x-file': '1', 'x-env': '2' });
    expect(fromEnv.otlp.timeoutMillis).toBe(4000);
    // Untouched file values stay.
    expect(fromEnv.otlp.protocol).toBe('http/json');
    expect(fromEnv.prometheus.port).toBe(9999);

    const fromCode = resolveConfig({
      env,
      serviceName: 'from-code',
      views: { buckets: { 'http.server.request.duration': 'http' }, maxSeriesPerInstrument: 50 },
    });
    expect(fromCode.serviceName).toBe('from-code');
    // Maps merge by instrument name; the file's allow-list stays.
    expect(fromCode.views).toEqual({
      buckets: { 'http.server.request.duration': 'http', 'db.client.operation.duration': 'db' },
      attributes: { 'http.server.request.duration': ['http.request.method', 'http.route'] },
      cardinalityLimit: 100,
      maxSeriesPerInstrument: 50,
    });
  });

  it('OTEL_SDK_DISABLED=true wins over disabled: false in code', () => {
    expect(resolveConfig({ env: { OTEL_SDK_DISABLED: 'true' }, disabled: false }).disabled).toBe(true);
  });

  it.each([
    ['exporters: [prometheus, kafka]', 'exporters[1]', '"kafka"', 'one of "prometheus", "otlp"'],
    ['exporters: prometheus', 'exporters', '"prometheus"', 'a list of "prometheus" and "otlp"'],
    ['prometheus: { port: 70000 }', 'prometheus.port', '70000', 'an integer from 0 to 65535'],
    ['prometheus: { port: "9464" }', 'prometheus.port', '"9464"', 'an integer from 0 to 65535'],
    ['prometheus: { host: "" }', 'prometheus.host', '""', 'a host name or IP address'],
    ['otlp: { protocol: http }', 'otlp.protocol', '"http"', 'one of "http/protobuf", "http/json", "grpc"'],
    ['otlp: { endpoint: "localhost:4318" }', 'otlp.endpoint', '"localhost:4318"', 'an absolute http(s) URL'],
    ['otlp: { headers: { a: 1 } }', 'otlp.headers.a', '1', 'a string'],
    ['otlp: { timeoutMillis: 0 }', 'otlp.timeoutMillis', '0', 'an integer >= 1'],
    ['otlp: { compression: brotli }', 'otlp.compression', '"brotli"', 'one of "gzip", "none"'],
    [
      'views: { buckets: { http.server.request.duration: [0.1, 0.05] } }',
      'views.buckets["http.server.request.duration"]',
      '[0.1,0.05]',
      'strictly increasing',
    ],
    ['views: { buckets: { x: [] } }', 'views.buckets.x', '[]', 'a non-empty list'],
    ['views: { buckets: { x: ["a"] } }', 'views.buckets.x[0]', '"a"', 'a finite number'],
    ['views: { buckets: { x: fast } }', 'views.buckets.x', '"fast"', 'a preset name: http, db, pool, cache'],
    ['views: { buckets: { "http.*": http } }', 'views.buckets["http.*"]', '"http.*"', 'without wildcards'],
    ['views: { attributes: { x: [1] } }', 'views.attributes.x[0]', '1', 'a non-empty string'],
    ['views: { attributes: { x: route } }', 'views.attributes.x', '"route"', 'a list of'],
    ['views: { cardinalityLimit: 0 }', 'views.cardinalityLimit', '0', 'an integer >= 1'],
    ['views: { maxSeriesPerInstrument: 1.5 }', 'views.maxSeriesPerInstrument', '1.5', 'an integer >= 1'],
    [
      'views: { http.server.request.duration: { buckets: [1] } }',
      'views["http.server.request.duration"]',
      '"http.server.request.duration"',
      'buckets, attributes, cardinalityLimit, maxSeriesPerInstrument',
    ],
    ['htp: true', 'htp', '"htp"', 'printEndpoints, http'],
    ['http: "yes"', 'http', '"yes"', 'true, false, or an options object'],
    ['serviceNme: x', 'serviceNme', '"serviceNme"', 'one of the keys disabled, serviceName'],
    ['shutdownTimeoutMillis: -1', 'shutdownTimeoutMillis', '-1', 'an integer from 100 to 60000'],
    ['logLevel: loud', 'logLevel', '"loud"', 'one of "none", "error"'],
    ['disabled: "no"', 'disabled', '"no"', 'true or false'],
    ['- a\n- b', '(root)', '["a","b"]', 'an object with keys disabled, serviceName'],
  ])('rejects %j naming %s', (text, key, value, allowed) => {
    const path = file(text);
    const err = configError(() => resolveConfig({ env: { OTEL_PERF_CONFIG: path } }));
    expect(err.key).toBe(key);
    expect(err.message).toContain(`${key} is ${value}`);
    expect(err.allowed).toContain(allowed);
    expect(err.message).toContain(path);
  });

  it('rejects a file that is not valid YAML, naming the file and the parse error', () => {
    const path = file('views: [\n  - a: b: c');
    const err = configError(() => resolveConfig({ env: { OTEL_PERF_CONFIG: path } }));
    expect(err.key).toBe('OTEL_PERF_CONFIG');
    expect(err.value).toBe(path);
    expect(err.allowed).toMatch(/^a file of valid YAML \(.+\)/);
  });

  it('rejects a .json file that is not valid JSON', () => {
    const path = file('{ "serviceName": ', 'json');
    const err = configError(() => resolveConfig({ env: { OTEL_PERF_CONFIG: path } }));
    expect(err.key).toBe('OTEL_PERF_CONFIG');
    expect(err.allowed).toMatch(/^a file of valid JSON \(.+\)/);
  });

  it('rejects a file that does not exist', () => {
    const path = join(dir, 'missing.yaml');
    const err = configError(() => resolveConfig({ env: { OTEL_PERF_CONFIG: path } }));
    expect(err.message).toContain(`OTEL_PERF_CONFIG is ${JSON.stringify(path)}`);
    expect(err.allowed).toContain('ENOENT');
  });

  it('validates start() options like the file', () => {
    const err = configError(() => resolveConfig({ env: {}, prometheus: { port: 1.5 } }));
    expect(err.key).toBe('prometheus.port');
    expect(err.message).toContain('in start() options');
  });

  it("validates a built-in's options against its schema", () => {
    const table: Record<string, Builtin> = {
      thing: {
        enabledByDefault: false,
        options: { type: 'object', properties: { sampleRate: { type: 'number', min: 0, max: 1 } } },
        create: () => ({ name: 'thing' }),
      },
    };
    const options = (o: unknown) => ({ env: {}, thing: o }) as StartOptions;
    const ok = resolveConfig(options({ enabled: true, sampleRate: 0.5 }), table);
    expect(ok.builtins).toEqual({ thing: { enabled: true, sampleRate: 0.5 } });
    const err = configError(() => resolveConfig(options({ sampleRate: 2 }), table));
    expect(err.key).toBe('thing.sampleRate');
    expect(err.allowed).toBe('a finite number from 0 to 1');
    const unknown = configError(() => resolveConfig(options({ rate: 1 }), table));
    expect(unknown.key).toBe('thing.rate');
  });
});
