import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  defaultResource,
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';

/**
 * The version of the application's nearest `package.json` (searched upwards from the main script, at
 * most 8 directories, never inside node_modules), or undefined. Costs a few synchronous file reads once.
 */
export function appVersion(mainScript: string | undefined = process.argv[1]): string | undefined {
  if (!mainScript) return undefined;
  let dir = dirname(resolve(mainScript));
  for (let i = 0; i < 8; i++) {
    if (dir.split(/[\\/]/).includes('node_modules')) return undefined;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      return typeof pkg.version === 'string' && pkg.version ? pkg.version : undefined;
    } catch {
      // No (readable) package.json here: go up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The resource every metric carries: SDK defaults, host and process detectors, then `service.version`
 * from the app's package.json, `resourceAttributes` (`OTEL_RESOURCE_ATTRIBUTES`), `service.name` and a
 * fresh `service.instance.id` (a random UUID per process, unless the attributes set one).
 */
export function buildResource(
  serviceName: string | undefined,
  attributes: Readonly<Record<string, string>>,
): Resource {
  const version = appVersion();
  const explicit: Record<string, string> = {
    'service.instance.id': randomUUID(),
    ...(version ? { 'service.version': version } : {}),
    ...attributes,
  };
  if (serviceName) explicit['service.name'] = serviceName;
  return defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector] }))
    .merge(resourceFromAttributes(explicit));
}
