import type { MetricGroup } from './sources.js';

/** Configuration of the built-in dashboard: plain data. */
export interface DashboardConfig {
  /**
   * How often the dashboard collects a frame (its own reader: other readers are not affected), in ms.
   * @default 5000
   */
  intervalMs?: number;
  /**
   * Frames kept in memory (a ring buffer); with the default interval, one hour. Each frame is a few KB.
   * @default 720
   */
  historySize?: number;
  /**
   * Routes kept per frame (the busiest), bounding the frame size whatever the route cardinality.
   * @default 20
   */
  maxRoutes?: number;
  /**
   * Live (Server-Sent Events) clients at once; more are refused with 503.
   * @default 20
   */
  maxClients?: number;
  /** Page title. @default 'otel-perf' */
  title?: string;
  /**
   * Where the page sends acknowledge and silence requests (the anomaly HTTP API on the same server).
   * @default '/api/alerts'
   */
  alertsApi?: string;
}

/** A subscription of a live client: which groups, how often. */
export interface Subscription {
  groups: ReadonlySet<MetricGroup> | undefined;
  intervalMs: number;
}
