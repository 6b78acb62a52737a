import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import type { Builtin } from './builtin.js';
import { BUILTINS } from './builtins.js';
import { configFromEnv, disabledByEnv } from './env.js';
import { configSchema } from './schema.js';
import type {
  BuiltinSetting,
  LogLevel,
  MetricsExporterName,
  OtelPerfConfig,
  OtlpConfig,
  PrometheusConfig,
  ResolvedConfig,
  StartOptions,
  ViewsConfig,
} from './types.js';
import { ConfigError, validate } from './validate.js';

/** The defaults every other source overrides. */
export const DEFAULTS: {
  exporters: readonly MetricsExporterName[];
  prometheus: Required<PrometheusConfig>;
  otlp: Omit<Required<OtlpConfig>, 'endpoint'>;
  shutdownTimeoutMillis: number;
  logLevel: LogLevel;
  maxSeriesPerInstrument: number;
} = {
  exporters: ['prometheus'],
  prometheus: { host: '127.0.0.1', port: 9464 },
  otlp: {
    protocol: 'http/protobuf',
    headers: {},
    compression: 'none',
    timeoutMillis: 10_000,
    temporalityPreference: 'cumulative',
    exportIntervalMillis: 60_000,
  },
  shutdownTimeoutMillis: 2000,
  logLevel: 'warn',
  maxSeriesPerInstrument: 2000,
};

/** The YAML parser, loaded only when there is a YAML file to read (it costs ~10 ms of startup). */
function parseYaml(text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(text);
}

/** Reads and validates a YAML or JSON config file. */
export function loadConfigFile(
  path: string,
  builtins: Readonly<Record<string, Builtin>> = BUILTINS,
): OtelPerfConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'OTEL_PERF_CONFIG',
      path,
      `the path of a readable YAML or JSON file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const what = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
    throw new ConfigError(
      'OTEL_PERF_CONFIG',
      path,
      `a file of valid ${what} (${(err as Error).message.split('\n')[0]})`,
    );
  }
  // An empty file is an empty config.
  if (data === null || data === undefined) return {};
  validate(data, configSchema(builtins), '', file);
  return data as OtelPerfConfig;
}

/** Shallow merge, later layers win; `undefined` layers and values are skipped. */
function merge<T extends object>(base: T, ...layers: (Partial<T> | undefined)[]): T {
  const out = { ...base } as Record<string, unknown>;
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** The built-in sections of every layer, later layers winning per built-in. */
function builtinSections(
  layers: readonly OtelPerfConfig[],
  builtins: Readonly<Record<string, Builtin>>,
): Record<string, BuiltinSetting> {
  const out: Record<string, BuiltinSetting> = {};
  for (const layer of layers) {
    for (const name of Object.keys(builtins)) {
      const setting = (layer as Record<string, unknown>)[name] as BuiltinSetting | undefined;
      if (setting !== undefined) out[name] = setting;
    }
  }
  return out;
}

/** The plain-data part of `start()` options (no plugins, no env, no file path). */
function codeConfig(options: StartOptions): OtelPerfConfig {
  const { configFile: _f, plugins: _p, env: _e, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as OtelPerfConfig;
}

/**
 * Merges defaults, the config file, the environment and `start()` options (later wins; nested objects
 * merge key by key) and validates every source. Throws a `ConfigError` for the first bad value.
 */
export function resolveConfig(
  options: StartOptions = {},
  builtins: Readonly<Record<string, Builtin>> = BUILTINS,
): ResolvedConfig {
  const env = options.env ?? process.env;
  const envConfig = configFromEnv(env);
  const configFile = options.configFile ?? env.OTEL_PERF_CONFIG?.trim() ?? undefined;
  const file = configFile ? loadConfigFile(configFile, builtins) : {};
  const code = codeConfig(options);
  validate(code, configSchema(builtins), '', 'start() options');
  const layers = [file, envConfig, code];

  // Each map of the views section merges by instrument name.
  const views: ViewsConfig = {
    buckets: merge({}, ...layers.map((l) => l.views?.buckets)),
    attributes: merge({}, ...layers.map((l) => l.views?.attributes)),
    maxSeriesPerInstrument: DEFAULTS.maxSeriesPerInstrument,
  };
  for (const layer of layers) {
    if (layer.views?.cardinalityLimit !== undefined) views.cardinalityLimit = layer.views.cardinalityLimit;
    if (layer.views?.maxSeriesPerInstrument !== undefined) {
      views.maxSeriesPerInstrument = layer.views.maxSeriesPerInstrument;
    }
  }
  const protocol = merge<OtlpConfig>(DEFAULTS.otlp, ...layers.map((l) => l.otlp)).protocol;
  const otlp = merge<ResolvedConfig['otlp']>(
    {
      ...DEFAULTS.otlp,
      endpoint: protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318/v1/metrics',
    },
    ...layers.map((l) => l.otlp),
  );
  otlp.headers = merge<Record<string, string>>({}, ...layers.map((l) => l.otlp?.headers));
  const last = <K extends keyof OtelPerfConfig>(key: K): OtelPerfConfig[K] | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const v = layers[i]?.[key];
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return {
    disabled: disabledByEnv(env) || (last('disabled') ?? false),
    serviceName: last('serviceName'),
    resourceAttributes: merge({}, ...layers.map((l) => l.resourceAttributes)),
    exporters: [...(last('exporters') ?? DEFAULTS.exporters)],
    prometheus: merge<Required<PrometheusConfig>>(
      { ...DEFAULTS.prometheus },
      ...layers.map((l) => l.prometheus),
    ),
    otlp,
    views,
    builtins: builtinSections(layers, builtins),
    shutdownTimeoutMillis: last('shutdownTimeoutMillis') ?? DEFAULTS.shutdownTimeoutMillis,
    logLevel: last('logLevel') ?? DEFAULTS.logLevel,
    printEndpoints: last('printEndpoints') ?? false,
    configFile,
  };
}
