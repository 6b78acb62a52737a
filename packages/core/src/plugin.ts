import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A request handler mounted on the distro's metrics server (the server that serves `/metrics`).
 * It runs only for its own method and path; the distro answers 404 for anything unrouted, and 500
 * (with the error sent to the diag logger) if the handler throws.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** An exact path (`/health/live`) or a prefix ending in `/*` (`/dashboard/*`). No query string. */
  path: string;
  handler(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

/** What a plugin gets when the distro has built its MeterProvider. */
export interface PluginContext {
  /** The provider every otel-perf instrument is created on. */
  meterProvider: MeterProvider;
  /** Another plugin started before this one, by name (for example `health` reads `anomaly`). */
  getPlugin<T extends OtelPerfPlugin = OtelPerfPlugin>(name: string): T | undefined;
  /** Where the metrics server listens, once it does (undefined when no server runs). */
  serverUrl(): string | undefined;
}

/**
 * The contract between the distro (`@otel-perf/node`) and the packages it wires in. Every member is
 * optional except the name; the distro calls them in this order: `readers` and `instrumentations`
 * (before the MeterProvider exists), `routes`, `start`, and at shutdown `shutdown` (bounded by the
 * distro's shutdown deadline). A member that throws is reported to the diag logger and the plugin is
 * skipped; it never stops the host application.
 */
export interface OtelPerfPlugin {
  /** Unique name, also the key of the plugin's section in the config file. */
  readonly name: string;
  /** Extra readers for the MeterProvider (the anomaly processor and the dashboard history are readers). */
  readers?(): MetricReader[];
  /** Instrumentations to enable on the distro's MeterProvider. */
  instrumentations?(): Instrumentation[];
  /** Routes to mount on the metrics server. */
  routes?(): Route[];
  start?(context: PluginContext): void | Promise<void>;
  shutdown?(): Promise<void>;
}
