import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';

// These run the built package (dist/) as a real preload in a real Node process, the way the distro loads it:
// pg is CommonJS and is patched when required. `npm test` builds first.
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const dist = join(import.meta.dirname, '..', '..', 'dist', 'index.cjs');

type Points = { attributes: Record<string, unknown>; value: unknown }[];
type Output = Record<string, unknown> & { metrics?: Record<string, Points> };

async function run(args: string[]): Promise<Output> {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run npm run build in the package first`);
  const child = runNode(args, { cwd: fixtures, timeoutMs: 20_000 });
  const { code } = await child.exited;
  expect(child.stderr()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(child.stdout()) as Output;
}

const points = (out: Output, metric: string, pool: string) =>
  (out.metrics?.[metric] ?? []).filter((p) => p.attributes['db.client.connection.pool.name'] === pool);

describe('pg from a preload, in a real process', () => {
  it('gives the app exactly the errors it gets without the instrumentation when the pool times out', async () => {
    const [plain, instrumented] = await Promise.all([
      run(['timeout.cjs']),
      run(['--require', './preload.cjs', 'timeout.cjs']),
    ]);
    const { metrics, ...seen } = instrumented;
    expect(plain.queryPromise).toMatchObject({ message: 'timeout exceeded when trying to connect' });
    // Same class, message, properties and stack frames, in all four call shapes; same recovery.
    expect(seen).toEqual(plain);
    expect(metrics).toBeDefined();
    const timeouts = points(instrumented, 'db.client.connection.timeouts', 'otel-perf-timeout-fixture');
    expect(timeouts.map((p) => p.value)).toEqual([4]);
  });

  it('measures a pool the auto-instrumentation never saw once the app calls instrumentPool', async () => {
    const out = await run(['late.cjs']);
    const use = points(out, 'db.client.connection.use_time', 'late-orders');
    expect(use.map((p) => (p.value as { count: number }).count)).toEqual([2]);
    // Its queries are measured through pool.query (its Client class was loaded before the instrumentation).
    const durations = out.metrics?.['db.client.operation.duration'] ?? [];
    expect(durations.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(2);
    // The other pool stays unmeasured: nothing else has a pool name.
    const names = new Set(
      Object.values(out.metrics ?? {}).flatMap((pts) =>
        pts.map((p) => p.attributes['db.client.connection.pool.name']).filter((n) => n !== undefined),
      ),
    );
    expect([...names]).toEqual(['late-orders']);
  });
});
