export type { DashboardPlugin } from './dashboard.js';
export { Dashboard, dashboardPlugin } from './dashboard.js';
export type { Frame, Percentiles, RouteStats } from './frames.js';
export { buildFrame, pickGroups } from './frames.js';
export { RingBuffer } from './history.js';
export type { MetricGroup } from './sources.js';
export {
  LATENCY_BAND_CRITICAL,
  LATENCY_BANDS,
  METRIC_GROUPS,
  SOURCE_ATTRIBUTES,
  SOURCES,
} from './sources.js';
export type { DashboardConfig, Subscription } from './types.js';
