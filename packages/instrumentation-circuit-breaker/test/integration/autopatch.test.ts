import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';

// These run the built package (dist/) as a real preload, the way the distro loads it; `npm test` builds first.
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const dist = join(import.meta.dirname, '..', '..', 'dist', 'index.cjs');

type Points = { attributes: Record<string, unknown>; value: unknown }[];

async function run(args: string[]) {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run npm run build in the package first`);
  const child = runNode(args, { cwd: fixtures, timeoutMs: 20_000 });
  const { code } = await child.exited;
  expect(child.stderr()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(child.stdout()) as { className: string; metrics: Record<string, Points> } & Record<
    string,
    unknown
  >;
}

const pointValue = (points: Points | undefined, attrs: Record<string, unknown>) =>
  points?.find((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))?.value;

describe('auto-instrumentation of opossum from a preload', () => {
  it('measures every named breaker a CommonJS app creates, and leaves opossum as the app knows it', async () => {
    const out = await run(['--require', './preload.cjs', 'app.cjs']);
    expect(out.className).toBe('CircuitBreaker');
    expect(out.instanceOf).toBe(true);
    expect(out.isOurError).toBe(false);
    expect(out.rejected).toBe('EOPENBREAKER');
    const calls = out.metrics['circuit_breaker.calls'];
    const name = 'circuit_breaker.name';
    const outcome = 'circuit_breaker.call.outcome';
    expect(pointValue(calls, { [name]: 'auto-payments', [outcome]: 'success' })).toBe(1);
    expect(pointValue(calls, { [name]: 'auto-payments', [outcome]: 'failure' })).toBe(1);
    expect(pointValue(calls, { [name]: 'auto-payments', [outcome]: 'rejected' })).toBe(1);
    expect(pointValue(calls, { [name]: 'fetchInventory', [outcome]: 'success' })).toBe(1);
    // The breaker opossum named with a UUID is not measured (an unbounded label value).
    expect(calls?.some((p) => p.attributes[name] === out.unnamedName)).toBe(false);
    const transitions = out.metrics['circuit_breaker.transitions'];
    expect(
      pointValue(transitions, {
        [name]: 'auto-payments',
        'circuit_breaker.state_from': 'closed',
        'circuit_breaker.state_to': 'open',
      }),
    ).toBe(1);
    const config = out.metrics['circuit_breaker.config'];
    expect(
      pointValue(config, { [name]: 'auto-payments', 'circuit_breaker.config.slow_call_threshold': 1 }),
    ).toBe(1);
  });

  it('measures breakers of an ESM app that imports opossum, through the import-in-the-middle hook', async () => {
    const out = await run(['--import', './register-esm.mjs', 'app.mjs']);
    expect(out.className).toBe('CircuitBreaker');
    expect(
      pointValue(out.metrics['circuit_breaker.calls'], {
        'circuit_breaker.name': 'auto-esm',
        'circuit_breaker.call.outcome': 'success',
      }),
    ).toBe(1);
  });
});
