/** The instrumentation scope name (the package name). */
export const PACKAGE_NAME = '@otel-perf/instrumentation-runtime';
/** The instrumentation scope version; a test keeps it equal to package.json's. */
export const PACKAGE_VERSION = '0.1.0';
