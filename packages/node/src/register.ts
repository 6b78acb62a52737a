/**
 * The preload: `node --require @otel-perf/node/register app.js` or
 * `node --import @otel-perf/node/register app.mjs`. Configured by environment variables and
 * `OTEL_PERF_CONFIG`; see the README. It loads the package's main entry, so the preload and an app that
 * imports `@otel-perf/node` share one copy.
 */
import { preload } from '@otel-perf/node';

preload(import.meta.url);
