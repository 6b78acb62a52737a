import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import { describe, expect, it } from 'vitest';

/**
 * The shared test of issue 2: a user who runs @opentelemetry/instrumentation-http (for tracing) instead of
 * ours must get the same HTTP duration metrics — names, units, buckets, attributes. Both paths run the
 * same fixture app (test/fixtures/parity-app.cjs, on the built package) as separate processes, so the
 * upstream instrumentation patches node:http exactly as it does in a real app, and the outputs are compared.
 *
 * Two differences are deliberate and asserted as such, so that any other one fails:
 * - `http.route`: we always set it (framework route, else the normaliser's `/users/:id`); upstream sets
 *   it only when a framework instrumentation (express, fastify…) recorded the route.
 * - client `error.type` when no response arrived: we report the Node error code (`ECONNREFUSED`),
 *   upstream the error's class name (`Error`). Both are allowed by the semantic conventions.
 */

interface Point {
  attributes: Record<string, string | number>;
  count: number;
}
interface Exported {
  errors: string[];
  metrics: Record<string, { unit: string; type: string; boundaries: number[]; points: Point[] }>;
}

const fixture = join(import.meta.dirname, 'fixtures', 'parity-app.cjs');

async function run(path: 'ours' | 'upstream'): Promise<Exported> {
  const child = runNode([fixture, path], { timeoutMs: 20_000 });
  const [line] = await child.waitForOutput(/^\{.*\}$/m);
  const { code } = await child.exited;
  expect(code, child.stderr()).toBe(0);
  return JSON.parse(line) as Exported;
}

/** Points keyed by their attributes (server.port replaced: each process has its own port). */
function byAttributes(points: Point[]): Map<string, Point> {
  const out = new Map<string, Point>();
  for (const p of points) {
    const attrs = { ...p.attributes };
    if ('server.port' in attrs) {
      expect(attrs['server.port']).toBeGreaterThan(0);
      attrs['server.port'] = 'PORT';
    }
    const key = JSON.stringify(
      Object.keys(attrs)
        .sort()
        .map((k) => [k, attrs[k]]),
    );
    out.set(key, { ...p, attributes: attrs });
  }
  return out;
}

describe('parity with @opentelemetry/instrumentation-http', () => {
  it('emits the same duration metric names, units, buckets and attributes', async () => {
    const [ours, upstream] = await Promise.all([run('ours'), run('upstream')]);
    expect(ours.errors).toEqual([]);
    expect(upstream.errors).toEqual([]);

    const names = ['http.client.request.duration', 'http.server.request.duration'];
    expect(Object.keys(upstream.metrics).sort()).toEqual(names);
    expect(Object.keys(ours.metrics).sort()).toEqual(names);
    for (const name of names) {
      const a = ours.metrics[name];
      const b = upstream.metrics[name];
      expect(a?.unit, name).toBe('s');
      expect(b?.unit, name).toBe('s');
      expect(a?.type, name).toBe('histogram');
      expect(b?.type, name).toBe('histogram');
      expect(a?.boundaries, name).toEqual([...HTTP_DURATION_BUCKETS]);
      expect(b?.boundaries, name).toEqual([...HTTP_DURATION_BUCKETS]);
    }

    // Server: the same points once our http.route is set aside; and we always have one.
    const server = ours.metrics['http.server.request.duration']?.points ?? [];
    expect(server.map((p) => p.attributes['http.route']).sort()).toEqual([
      '/fail',
      '/items',
      '/missing',
      '/users/:id',
    ]);
    const withoutRoute = server.map((p) => {
      const { 'http.route': _route, ...attributes } = p.attributes;
      return { ...p, attributes };
    });
    expect(byAttributes(withoutRoute)).toEqual(
      byAttributes(upstream.metrics['http.server.request.duration']?.points ?? []),
    );

    // Client: the same points, except the error type of the request that got no response.
    const clientOurs = byAttributes(ours.metrics['http.client.request.duration']?.points ?? []);
    const clientUpstream = byAttributes(upstream.metrics['http.client.request.duration']?.points ?? []);
    const errorType = (m: Map<string, Point>) =>
      [...m.values()].filter((p) => p.attributes['http.response.status_code'] === undefined);
    expect(errorType(clientOurs).map((p) => p.attributes['error.type'])).toEqual(['ECONNREFUSED']);
    expect(errorType(clientUpstream).map((p) => p.attributes['error.type'])).toEqual(['Error']);
    const responded = (m: Map<string, Point>) =>
      new Map([...m].filter(([, p]) => p.attributes['http.response.status_code'] !== undefined));
    expect(responded(clientOurs).size).toBe(4);
    expect(responded(clientOurs)).toEqual(responded(clientUpstream));
    const noResponse = (p: Point) => {
      const { 'error.type': _e, ...rest } = p.attributes;
      return rest;
    };
    expect(errorType(clientOurs).map(noResponse)).toEqual(errorType(clientUpstream).map(noResponse));
  });
});
