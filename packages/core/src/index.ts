export type {
  FastMetricProducerOptions,
  FastPathViewsOptions,
  HistogramDescriptor,
  HistogramViewSettings,
} from './aggregation.js';
export {
  createFastHistogram,
  FastHistogram,
  FastPath,
  ProducerRegistry,
} from './aggregation.js';
export type { BatchInstruments } from './batch.js';
export { BatchRegistration } from './batch.js';
export { bucketDelta, histogramQuantile } from './histogram.js';
export { invalidOption, requiredString } from './options.js';
export type {
  OtelPerfPlugin,
  PluginContext,
  ProducerSource,
  ReaderContext,
  ReaderProducerOptions,
  Route,
} from './plugin.js';
export { MAX_ATTRIBUTE_LENGTH, safeAttributeValue, safeCall } from './safe.js';
export type { InstrumentKind, MetricDescriptor } from './semconv.js';
