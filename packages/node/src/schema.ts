import { BUCKET_PRESETS } from '@otel-perf/views';
import type { Builtin } from './builtin.js';
import type { Schema } from './validate.js';

const stringMap: Schema = { type: 'record', values: { type: 'string' } };
const millis: Schema = { type: 'number', integer: true, min: 1 };

const bucketList: Schema = {
  type: 'array',
  items: { type: 'number' },
  allowed: 'a non-empty list of strictly increasing finite numbers',
  check: (v) => {
    if (v.length === 0) return 'a non-empty list of strictly increasing finite numbers';
    for (let i = 1; i < v.length; i++) {
      if ((v[i] as number) <= (v[i - 1] as number)) return 'a non-empty list of strictly increasing numbers';
    }
    return undefined;
  },
};

const instrumentName: Schema & { type: 'string' } = {
  type: 'string',
  allowed: 'an instrument name without wildcards',
  check: (k: string) =>
    k.length === 0 || /[*?]/.test(k) ? 'an instrument name without wildcards' : undefined,
};

/** Schema of the `views` section (the options of `createViews` from `@otel-perf/views`). */
export const viewsSchema: Schema = {
  type: 'object',
  properties: {
    buckets: {
      type: 'record',
      keys: instrumentName,
      values: {
        type: 'oneOf',
        options: [bucketList, { type: 'string', enum: Object.keys(BUCKET_PRESETS) }],
        allowed: `a list of strictly increasing numbers, or a preset name: ${Object.keys(BUCKET_PRESETS).join(', ')}`,
      },
    },
    attributes: {
      type: 'record',
      keys: instrumentName,
      values: {
        type: 'array',
        items: { type: 'string', allowed: 'a non-empty string', check: nonEmpty },
      },
    },
    cardinalityLimit: { type: 'number', integer: true, min: 1 },
    maxSeriesPerInstrument: { type: 'number', integer: true, min: 1 },
  },
};

/** Schema of the config file and of the plain-data part of `start()` options. */
export function configSchema(builtins: Readonly<Record<string, Builtin>>): Schema {
  const builtinSettings: Record<string, Schema> = {};
  for (const [name, b] of Object.entries(builtins)) {
    const options: Schema =
      b.options?.type === 'object'
        ? { ...b.options, properties: { enabled: { type: 'boolean' }, ...b.options.properties } }
        : { type: 'record', values: { type: 'any' } };
    builtinSettings[name] = {
      type: 'oneOf',
      options: [{ type: 'boolean' }, options],
      allowed: 'true, false, or an options object',
    };
  }
  return {
    type: 'object',
    properties: {
      disabled: { type: 'boolean' },
      serviceName: { type: 'string', allowed: 'a non-empty string', check: nonEmpty },
      resourceAttributes: stringMap,
      exporters: {
        type: 'array',
        items: { type: 'string', enum: ['prometheus', 'otlp'] },
        allowed: 'a list of "prometheus" and "otlp" (empty for none)',
      },
      prometheus: {
        type: 'object',
        properties: {
          host: { type: 'string', allowed: 'a host name or IP address', check: nonEmpty },
          port: { type: 'number', integer: true, min: 0, max: 65535 },
        },
      },
      otlp: {
        type: 'object',
        properties: {
          endpoint: { type: 'string', allowed: 'an absolute http(s) URL', check: httpUrl },
          protocol: { type: 'string', enum: ['http/protobuf', 'http/json', 'grpc'] },
          headers: stringMap,
          compression: { type: 'string', enum: ['gzip', 'none'] },
          timeoutMillis: millis,
          temporalityPreference: { type: 'string', enum: ['cumulative', 'delta', 'lowmemory'] },
          exportIntervalMillis: millis,
        },
      },
      views: viewsSchema,
      shutdownTimeoutMillis: { type: 'number', integer: true, min: 100, max: 60_000 },
      logLevel: { type: 'string', enum: LOG_LEVELS },
      printEndpoints: { type: 'boolean' },
      // One section per built-in, keyed by its name.
      ...builtinSettings,
    },
  };
}

/** The values `OTEL_LOG_LEVEL` and `logLevel` accept (lower case). */
export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;

function nonEmpty(s: string): string | undefined {
  return s.trim().length === 0 ? 'a non-empty string' : undefined;
}

function httpUrl(s: string): string | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'an absolute http(s) URL';
  } catch {
    return 'an absolute http(s) URL';
  }
}
