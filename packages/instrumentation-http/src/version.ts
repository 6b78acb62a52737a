/** The instrumentation scope name and version (kept in step with package.json by a test). */
export const PACKAGE_NAME = '@otel-perf/instrumentation-http' as const;
export const PACKAGE_VERSION = '0.1.0' as const;
