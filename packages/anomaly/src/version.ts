export const PACKAGE_NAME = '@otel-perf/anomaly';
export const PACKAGE_VERSION = '0.1.0';
