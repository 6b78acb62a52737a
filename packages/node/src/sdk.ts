import { isMainThread } from 'node:worker_threads';
import {
  type MeterProvider as ApiMeterProvider,
  context,
  DiagLogLevel,
  diag,
  metrics,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { MeterProvider, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import {
  type OtelPerfPlugin,
  type PluginContext,
  type ProducerSource,
  type ReaderContext,
  type Route,
  safeCall,
} from '@otel-perf/core';
import type { HealthCheck, HealthPlugin } from '@otel-perf/health';
import type { Builtin, BuiltinContext } from './builtin.js';
import { BUILTINS } from './builtins.js';
import { resolveConfig } from './config.js';
import { stderrDiagLogger } from './diag-logger.js';
import { disabledByEnv } from './env.js';
import { registerEsmHooks } from './esm-hooks.js';
import { bounded, type FlushReason, installExitHandlers } from './lifecycle.js';
import { buildReaders } from './readers.js';
import { buildResource } from './resource.js';
import { MetricsServer } from './server.js';
import type { LogLevel, ResolvedConfig, StartOptions } from './types.js';
import { ConfigError, show } from './validate.js';
import { buildViews } from './views.js';

interface Running {
  config: ResolvedConfig;
  provider: MeterProvider;
  plugins: OtelPerfPlugin[];
  instrumentations: Instrumentation[];
  server: MetricsServer | undefined;
  ownsMeterProvider: boolean;
  ownsContextManager: boolean;
  uninstallExitHandlers: () => void;
  ready: Promise<void>;
  stopping: Promise<void> | undefined;
}

// On globalThis so that the CommonJS and ESM builds of this package (both can be loaded in one process)
// share one distro.
const KEY = Symbol.for('@otel-perf/node');
const globals = globalThis as Record<symbol, unknown>;
globals[KEY] ??= {};
const holder = globals[KEY] as { running?: Running };

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

interface EnabledBuiltin {
  name: string;
  builtin: Builtin;
  options: Record<string, unknown>;
}

/** The built-ins the config turns on, with their options (without `enabled`). */
function enabledBuiltins(config: ResolvedConfig, table: Readonly<Record<string, Builtin>>): EnabledBuiltin[] {
  const out: EnabledBuiltin[] = [];
  for (const [name, builtin] of Object.entries(table)) {
    const setting = config.builtins[name];
    const { enabled, ...options } = typeof setting === 'object' ? setting : { enabled: setting };
    if (enabled ?? (setting === undefined ? builtin.enabledByDefault : true))
      out.push({ name, builtin, options });
  }
  return out;
}

/** Builds the built-ins; throws a `ConfigError` naming the built-in's section when its factory rejects the options. */
function createBuiltins(
  config: ResolvedConfig,
  enabled: readonly EnabledBuiltin[],
  context: BuiltinContext,
): OtelPerfPlugin[] {
  const created: OtelPerfPlugin[] = [];
  try {
    for (const { name, builtin, options } of enabled) {
      try {
        created.push(builtin.create(options, context));
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(name, options, describeError(err), config.configFile);
      }
    }
  } catch (err) {
    // Leave nothing half set up: turn off what the earlier built-ins already enabled.
    disableAll(collect<Instrumentation>(created, 'instrumentations'));
    throw err;
  }
  return created;
}

/** `host[:port]` (as in a Host header) of the OTLP endpoint, when OTLP is on. */
function exportHosts(config: ResolvedConfig): string[] {
  if (!config.exporters.includes('otlp')) return [];
  try {
    return [new URL(config.otlp.endpoint).host];
  } catch {
    return [];
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function disableAll(instrumentations: readonly Instrumentation[]): void {
  for (const i of instrumentations) safeCall(`${i.instrumentationName}.disable()`, () => i.disable());
}

function collect<T>(
  plugins: readonly OtelPerfPlugin[],
  what: 'readers' | 'instrumentations' | 'routes',
): T[] {
  const out: T[] = [];
  for (const p of plugins) {
    const fn = p[what] as (() => T[]) | undefined;
    if (!fn) continue;
    const got = safeCall(`plugin ${p.name}.${what}()`, () => fn.call(p));
    if (Array.isArray(got)) out.push(...got);
  }
  return out;
}

/** The plugins' producer sources (metrics aggregated outside the SDK, such as the HTTP fast path). */
function producerSources(plugins: readonly OtelPerfPlugin[]): ProducerSource[] {
  const out: ProducerSource[] = [];
  for (const p of plugins) {
    if (!p.metricProducers) continue;
    const s = safeCall(`plugin ${p.name}.metricProducers()`, () => p.metricProducers?.());
    if (s) out.push(s);
  }
  return out;
}

/** A reader context handing out one producer per source, counting how many sets were asked for. */
function readerContext(sources: readonly ProducerSource[]): { context: ReaderContext; asked: () => number } {
  let asked = 0;
  return {
    context: {
      metricProducers: (options = {}) => {
        asked++;
        const out: MetricProducer[] = [];
        for (const s of sources) {
          const p = safeCall('metricProducers.create()', () => s.create(options));
          if (p) out.push(p);
        }
        return out;
      },
    },
    asked: () => asked,
  };
}

/**
 * The plugins' readers, each plugin given a reader context. A plugin that returns more readers than it
 * asked producers for has a reader without them: then every source falls back to the SDK, so that reader
 * still sees every metric.
 */
function pluginReaders(
  plugins: readonly OtelPerfPlugin[],
  sources: readonly ProducerSource[],
): MetricReader[] {
  const out: MetricReader[] = [];
  let uncovered: string | undefined;
  for (const p of plugins) {
    const fn = p.readers;
    if (!fn) continue;
    const { context, asked } = readerContext(sources);
    const got = safeCall(`plugin ${p.name}.readers()`, () => fn.call(p, context));
    if (!Array.isArray(got)) continue;
    out.push(...got);
    if (got.length > asked()) uncovered ??= p.name;
  }
  if (uncovered !== undefined && sources.length > 0) {
    diag.info(
      `otel-perf: plugin ${uncovered} returned a reader without the distro's metricProducers; the fast paths are off and their histograms (http, pg) are recorded through the SDK`,
    );
    for (const s of sources) safeCall('metricProducers.fallBack()', () => s.fallBack());
  }
  return out;
}

function notice(line: string): void {
  process.stderr.write(`otel-perf: ${line}\n`);
}

/**
 * Starts the distro: one MeterProvider (views, resource, readers from the config), the built-in and given
 * plugins, the AsyncLocalStorage context manager, the metrics server and the exit handlers. Idempotent:
 * a second call while running does nothing and returns false. Returns false as well when disabled
 * (`OTEL_SDK_DISABLED=true` or `disabled: true`).
 *
 * @throws ConfigError when the config file, an environment variable or an option is invalid; nothing is
 * left set up in that case.
 */
export function start(
  options: StartOptions = {},
  table: Readonly<Record<string, Builtin>> = BUILTINS,
): boolean {
  if (holder.running) {
    diag.debug('otel-perf: start() called again; already running');
    return false;
  }
  // Disabled means nothing at all, not even reading the config file.
  if (disabledByEnv(options.env ?? process.env)) return false;
  const config = resolveConfig(options, table);
  if (config.disabled) return false;

  diag.setLogger(stderrDiagLogger, {
    logLevel: LEVELS[config.logLevel],
    suppressOverrideMessage: true,
  });

  const enabled = enabledBuiltins(config, table);
  const codePlugins = options.plugins ?? [];
  const names = new Set(enabled.map((b) => b.name));
  for (const [i, p] of codePlugins.entries()) {
    if (!p || typeof p.name !== 'string' || p.name === '') {
      throw new ConfigError(`plugins[${i}]`, p, 'an OtelPerfPlugin object with a non-empty name');
    }
    if (names.has(p.name)) {
      throw new ConfigError(`plugins[${i}].name`, p.name, 'a name no other plugin or enabled built-in uses');
    }
    names.add(p.name);
  }
  let server: MetricsServer | undefined;
  const plugins = [
    ...createBuiltins(config, enabled, { exportHosts: exportHosts(config), views: config.views }),
    ...codePlugins,
  ];

  // Contract order: readers and instrumentations before the MeterProvider exists.
  const resource = buildResource(config.serviceName, config.resourceAttributes);
  const resourceSettled = (resource.waitForAsyncAttributes?.() ?? Promise.resolve()).catch((err: unknown) =>
    diag.debug('otel-perf: resource detection failed', err),
  );
  const sources = producerSources(plugins);
  const exporters = buildReaders(config, resourceSettled, readerContext(sources).context);
  const readers = [...exporters.readers, ...pluginReaders(plugins, sources)];
  const instrumentations = collect<Instrumentation>(plugins, 'instrumentations');
  const provider = new MeterProvider({
    resource,
    views: buildViews(config.views, config.configFile),
    readers,
  });
  const ownsMeterProvider = metrics.setGlobalMeterProvider(provider);
  if (!ownsMeterProvider)
    diag.warn('otel-perf: a global MeterProvider was already set; using ours for otel-perf only');
  // Without an AsyncLocalStorage context manager http.route set by frameworks is lost between callbacks.
  const ownsContextManager = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (!ownsContextManager) diag.debug('otel-perf: a global context manager was already set; keeping it');
  registerInstrumentations({ instrumentations, meterProvider: provider });

  const routes = [...exporters.routes, ...collect<Route>(plugins, 'routes')];
  // The server runs for Prometheus and for plugin routes, even when OTEL_METRICS_EXPORTER has no prometheus.
  if (routes.length > 0) {
    server = new MetricsServer(config.prometheus.host, config.prometheus.port, routes);
  }

  const byName = new Map(plugins.map((p) => [p.name, p]));
  const pluginContext: PluginContext = {
    meterProvider: provider as ApiMeterProvider,
    getPlugin: <T extends OtelPerfPlugin>(name: string) => byName.get(name) as T | undefined,
    serverUrl: () => server?.url(),
  };
  const listening = server?.listen().then((url) => {
    if (url && (config.printEndpoints || LEVELS[config.logLevel] >= DiagLogLevel.INFO)) {
      notice(
        `metrics server listening on ${url}${config.exporters.includes('prometheus') ? ' (GET /metrics)' : ''}`,
      );
    }
  });
  const starts: Promise<unknown>[] = [];
  for (const p of plugins) {
    if (!p.start) continue;
    const r = safeCall(`plugin ${p.name}.start()`, () => p.start?.(pluginContext));
    if (r) starts.push(Promise.resolve(r).catch(() => undefined));
  }

  const running: Running = {
    config,
    provider,
    plugins,
    instrumentations,
    server,
    ownsMeterProvider,
    ownsContextManager,
    uninstallExitHandlers: () => {},
    ready: Promise.all([listening, ...starts]).then(() => undefined),
    stopping: undefined,
  };
  running.uninstallExitHandlers = installExitHandlers(
    (reason) => flushFor(running, reason),
    config.shutdownTimeoutMillis,
  );
  holder.running = running;
  diag.debug(
    `otel-perf: started (exporters: ${show(config.exporters)}, plugins: ${show(plugins.map((p) => p.name))})`,
  );
  return true;
}

async function flushFor(running: Running, reason: FlushReason): Promise<void> {
  if (reason === 'signal') {
    // The process is about to die of the signal: stop everything (plugins persist what they must).
    await stop(running);
  } else {
    await running.provider.forceFlush();
  }
  diag.debug(`otel-perf: final flush done (${reason})`);
}

async function stop(running: Running): Promise<void> {
  running.stopping ??= (async () => {
    running.uninstallExitHandlers();
    for (const p of [...running.plugins].reverse()) {
      if (!p.shutdown) continue;
      await Promise.resolve(safeCall(`plugin ${p.name}.shutdown()`, () => p.shutdown?.())).catch(
        () => undefined,
      );
    }
    disableAll(running.instrumentations);
    await running.provider
      .shutdown()
      .catch((err: unknown) => diag.error('otel-perf: MeterProvider shutdown failed', err));
    await running.server?.close();
    if (running.ownsMeterProvider) metrics.disable();
    if (running.ownsContextManager) context.disable();
    if (holder.running === running) holder.running = undefined;
  })();
  return running.stopping;
}

/**
 * Flushes and stops everything `start()` set up, within the shutdown timeout, and removes the exit
 * handlers. Resolves (never rejects) when done; a no-op when not running. `start()` may be called again
 * afterwards.
 */
export async function shutdown(): Promise<void> {
  const running = holder.running;
  if (!running) return;
  await bounded(stop(running), running.config.shutdownTimeoutMillis);
  // Whatever did not finish in time is abandoned; a later start() starts afresh.
  if (holder.running === running) holder.running = undefined;
}

/** The URL of the metrics server (`http://127.0.0.1:9464`) once it listens; undefined otherwise. */
export function metricsServerUrl(): string | undefined {
  return holder.running?.server?.url();
}

/**
 * A running plugin by name (`getPlugin<HealthPlugin>('health')`), or undefined when the distro is not
 * running or the plugin is not enabled.
 */
export function getPlugin<T extends OtelPerfPlugin = OtelPerfPlugin>(name: string): T | undefined {
  return holder.running?.plugins.find((p) => p.name === name) as T | undefined;
}

/**
 * Adds a check to the running health plugin (for example `pgCheck(pool)` from `@otel-perf/health` for the
 * app's own pool), so `/health/ready` and `/health/performance` on the metrics server include it. Returns
 * false, and does nothing, when the distro or its health plugin is not running: an app keeps working with
 * the preload removed.
 *
 * @example
 * const { addHealthCheck } = require('@otel-perf/node');
 * const { pgCheck } = require('@otel-perf/health');
 * addHealthCheck(pgCheck(pool, { name: 'main' }));
 */
export function addHealthCheck(check: HealthCheck): boolean {
  const health = getPlugin<HealthPlugin>('health')?.health;
  if (!health) return false;
  safeCall('addHealthCheck', () => health.addCheck(check));
  return true;
}

/** Resolves when the metrics server listens and every plugin's `start()` has settled. */
export function ready(): Promise<void> {
  return holder.running?.ready ?? Promise.resolve();
}

/** Names of the modules the running instrumentations patch (for the ESM loader hook). */
export function patchedModuleNames(): string[] {
  const names = new Set<string>();
  for (const i of holder.running?.instrumentations ?? []) {
    const defs = safeCall('getModuleDefinitions', () =>
      (i as { getModuleDefinitions?: () => { name: string }[] }).getModuleDefinitions?.(),
    );
    for (const d of defs ?? []) names.add(d.name);
  }
  return [...names];
}

/**
 * What the preload (`@otel-perf/node/register`) runs: `start(options)`, then the ESM loader hook for the
 * modules the instrumentations patch. `parentUrl` is the URL of the calling module. Use it in your own
 * preload file to add code plugins: `preload(import.meta.url, { plugins: [myPlugin()] })`.
 */
export function preload(parentUrl: string, options: StartOptions = {}): boolean {
  // Node runs `--require`/`--import` preloads again in every worker thread, including the thread of the
  // module hooks registered below: set up the main thread only, or each would start its own distro.
  if (!isMainThread) return false;
  if (!start(options)) return false;
  registerEsmHooks(patchedModuleNames(), parentUrl);
  return true;
}
