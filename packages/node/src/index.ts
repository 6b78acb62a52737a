export type { Builtin, BuiltinContext } from './builtin.js';
export { instrumentationPlugin } from './builtin.js';
export type { BuiltinName } from './builtins.js';
export { BUILTINS } from './builtins.js';
export { loadConfigFile, resolveConfig } from './config.js';
export { addHealthCheck, getPlugin, metricsServerUrl, preload, ready, shutdown, start } from './sdk.js';
export type {
  BuiltinSections,
  BuiltinSetting,
  LogLevel,
  MetricsExporterName,
  OtelPerfConfig,
  OtlpConfig,
  OtlpProtocol,
  PrometheusConfig,
  ResolvedConfig,
  StartOptions,
  TemporalityPreference,
  ViewsConfig,
} from './types.js';
export { ConfigError } from './validate.js';
