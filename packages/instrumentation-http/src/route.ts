import type { IncomingMessage } from 'node:http';
import { safeAttributeValue } from '@otel-perf/core';
import { normalizeRoute } from '@otel-perf/views';

/** Set on the raw request by the fastify channel subscriber: the matched route's URL template. */
export const kFastifyRoute: unique symbol = Symbol.for('otel-perf.http.fastifyRoute');

/** The fields express (4 and 5) sets on the raw request that carry the matched route. */
interface ExpressRequest {
  route?: { path?: unknown };
  baseUrl?: unknown;
  originalUrl?: unknown;
  [kFastifyRoute]?: string;
}

/**
 * The route template a framework matched for this request, or undefined: fastify's `routeOptions.url`
 * (captured from its `tracing:fastify.request.handler:start` channel), else express's `baseUrl` +
 * `req.route.path` (string paths only; RegExp routes have no template).
 */
export function frameworkRoute(req: IncomingMessage): string | undefined {
  const r = req as IncomingMessage & ExpressRequest;
  const fastify = r[kFastifyRoute];
  if (fastify !== undefined) return fastify;
  const route = r.route;
  if (route === undefined) return undefined;
  const path = route.path;
  if (typeof path !== 'string') return undefined;
  const base = r.baseUrl;
  if (typeof base !== 'string' || base.length === 0) return path;
  return path === '/' ? base : base + path;
}

/** The request path without the query string (express's `originalUrl` when a router rewrote `url`). */
export function requestPath(req: IncomingMessage): string {
  const original = (req as IncomingMessage & ExpressRequest).originalUrl;
  const url = typeof original === 'string' ? original : (req.url ?? '/');
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * {@link normalizeRoute} behind a bounded cache keyed by path: a service has few distinct paths per
 * template in a short window, so most requests cost one map lookup. The cache is cleared when full, which
 * keeps its memory bounded under path scans.
 */
export class RouteNormalizerCache {
  private readonly cache = new Map<string, string>();
  constructor(private readonly maxSize = 1000) {}

  route(path: string): string {
    let route = this.cache.get(path);
    if (route === undefined) {
      route = safeAttributeValue(normalizeRoute(path));
      if (this.cache.size >= this.maxSize) this.cache.clear();
      this.cache.set(path, route);
    }
    return route;
  }
}
