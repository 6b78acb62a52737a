export { bucketDelta, histogramQuantile } from './histogram.js';
export type { OtelPerfPlugin, PluginContext, Route } from './plugin.js';
export { MAX_ATTRIBUTE_LENGTH, safeAttributeValue, safeCall } from './safe.js';
