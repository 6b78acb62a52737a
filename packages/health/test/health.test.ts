import { createServer, type Server } from 'node:http';
import { close, listen } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckOutcome, createHealth, type Health, type HealthCheck } from '../src/index.js';

/** A health+json body, navigated freely by the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are navigated freely in assertions
type HealthBody = Record<string, any>;

let server: Server | undefined;
let health: Health | undefined;

afterEach(async () => {
  health?.close();
  health = undefined;
  if (server) await close(server);
  server = undefined;
});

async function serve(h: Health): Promise<string> {
  health = h;
  server = createServer((req, res) => {
    void h.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(418).end('app');
    });
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

function check(
  component: string,
  outcome: CheckOutcome | (() => CheckOutcome | Promise<CheckOutcome>),
  extra: Partial<HealthCheck> = {},
): HealthCheck {
  return {
    component,
    measurement: 'm',
    run: typeof outcome === 'function' ? outcome : () => outcome,
    ...extra,
  };
}

const builtinsOff = ['eventloop:delay', 'memory:heap'];

describe('endpoints', () => {
  it('live answers 200 health+json with no-store, and other paths fall through to the app', async () => {
    const base = await serve(createHealth());
    const res = await fetch(`${base}/health/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { status: string }).status).toBe('pass');
    expect((await fetch(`${base}/orders`)).status).toBe(418);
    expect((await fetch(`${base}/health/other`)).status).toBe(418);
  });

  it('performance: built-in checks report with scores; detailed adds observed values', async () => {
    const base = await serve(createHealth());
    const plain = (await (await fetch(`${base}/health/performance`)).json()) as HealthBody;
    expect(Object.keys(plain.checks).sort()).toEqual(['eventloop:delay', 'memory:heap']);
    expect(plain.checks['memory:heap'][0].observedValue).toBeUndefined();
    expect(typeof plain.score).toBe('number');
    const detailed = (await (await fetch(`${base}/health/performance?detailed=true`)).json()) as HealthBody;
    const heap = detailed.checks['memory:heap'][0];
    expect(heap.observedUnit).toBe('ratio');
    expect(heap.observedValue).toBeGreaterThan(0);
    expect(heap.observedValue).toBeLessThan(1);
    expect(Date.parse(heap.time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('warn answers 200, fail answers 503, and the overall score follows the weights', async () => {
    const base = await serve(
      createHealth({
        disable: builtinsOff,
        checks: [check('a', { status: 'pass' }), check('b', { status: 'warn', output: 'slow' })],
      }),
    );
    const warn = await fetch(`${base}/health/performance`);
    expect(warn.status).toBe(200);
    const body = (await warn.json()) as HealthBody;
    expect(body.status).toBe('warn');
    expect(body.scores).toEqual({ a: 100, b: 77.5 });
    expect(body.score).toBeCloseTo(88.8, 1);
    expect(body.checks['b:m'][0].output).toBe('slow');

    health?.addCheck(check('c', { status: 'fail', output: 'down' }));
    const fail = await fetch(`${base}/health/performance`);
    expect(fail.status).toBe(503);
    expect(((await fail.json()) as { status: string }).status).toBe('fail');
  });

  it('ready only runs ready checks, and a failed ready check answers 503', async () => {
    let dbUp = true;
    let perfRuns = 0;
    const base = await serve(
      createHealth({
        disable: builtinsOff,
        checks: [
          check('db', () => (dbUp ? { status: 'pass' } : { status: 'fail', output: 'ECONNREFUSED' }), {
            ready: true,
          }),
          check('expensive', () => {
            perfRuns++;
            return { status: 'pass' };
          }),
        ],
      }),
    );
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    dbUp = false;
    const down = await fetch(`${base}/health/ready`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as HealthBody;
    expect(body.checks['db:m'][0]).toMatchObject({ status: 'fail', output: 'ECONNREFUSED' });
    expect(perfRuns).toBe(0);
    dbUp = true;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });

  it('a check that hangs is cut at its timeout and counts as unknown, never healthy', async () => {
    let aborted = false;
    const base = await serve(
      createHealth({
        disable: builtinsOff,
        checks: [
          check('ok', { status: 'pass' }),
          {
            component: 'hang',
            measurement: 'm',
            timeoutMs: 150,
            // Never settles; only notices the abort.
            run: ({ signal }) =>
              new Promise<CheckOutcome>(() => {
                signal.addEventListener('abort', () => {
                  aborted = true;
                });
              }),
          },
        ],
      }),
    );
    const started = Date.now();
    const res = await fetch(`${base}/health/performance?detailed=true`);
    const elapsed = Date.now() - started;
    const body = (await res.json()) as HealthBody;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1900);
    expect(aborted).toBe(true);
    expect(body.checks['hang:m'][0]).toMatchObject({ status: 'warn', score: null });
    expect(body.checks['hang:m'][0].output).toMatch(/timed out after 150 ms/);
    expect(body.status).toBe('warn');
    expect(body.notes[0]).toMatch(/hang:m/);
    expect(body.score).toBe(100);
  });

  it('the request deadline cuts checks whose own timeout is longer', async () => {
    const base = await serve(
      createHealth({
        disable: builtinsOff,
        requestDeadlineMs: 100,
        checks: [
          check('slow', () => new Promise<CheckOutcome>(() => undefined), { timeoutMs: 10_000, ready: true }),
        ],
      }),
    );
    const res = await fetch(`${base}/health/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body.checks['slow:m'][0].output).toMatch(/100 ms request deadline/);
  });

  it('a background check is served from its last result, so a probe storm runs it once per interval', async () => {
    let runs = 0;
    const h = createHealth({
      disable: builtinsOff,
      checks: [
        check(
          'db',
          () => {
            runs++;
            return { status: 'pass', observedValue: runs };
          },
          { intervalMs: 60_000, ready: true },
        ),
      ],
    });
    const base = await serve(h);
    const before = await (await fetch(`${base}/health/ready`)).json();
    h.start();
    await new Promise((r) => setImmediate(r));
    const storm = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${base}/health/ready?detailed=true`)),
    );
    expect(storm.every((r) => r.status === 200)).toBe(true);
    const last = (await storm[49]?.json()) as HealthBody;
    expect(runs).toBe(1);
    expect(last.checks['db:m'][0].observedValue).toBe(1);
    expect(last.checks['db:m'][0].ageMs).toBeGreaterThanOrEqual(0);
    // Before start() the background check had never run: unknown, and ready is not claimed.
    expect((before as HealthBody).status).toBe('fail');
  });

  it('a throwing check fails with its message; a rejected one too; neither escapes', async () => {
    const base = await serve(
      createHealth({
        disable: builtinsOff,
        checks: [
          check('sync', () => {
            throw new Error('sync boom');
          }),
          check('async', () => Promise.reject(new Error('async boom'))),
        ],
      }),
    );
    const body = (await (await fetch(`${base}/health/performance`)).json()) as HealthBody;
    expect(body.checks['sync:m'][0]).toMatchObject({ status: 'fail', output: 'sync boom', score: 0 });
    expect(body.checks['async:m'][0]).toMatchObject({ status: 'fail', output: 'async boom', score: 0 });
  });
});

describe('configuration', () => {
  it('rejects invalid configuration with a message naming the key and value', () => {
    expect(() => createHealth({ drainDelayMs: -1 })).toThrow(
      /drainDelayMs must be a finite number >= 0, got -1/,
    );
    expect(() => createHealth({ bands: { healthy: 60, watch: 70 } })).toThrow(/bands must satisfy/);
    expect(() => createHealth({ basePath: 'health' })).toThrow(
      /basePath must look like "\/health", got "health"/,
    );
    expect(() =>
      createHealth({ checks: [check('a', { status: 'pass' }, { timeoutMs: Number.NaN })] }),
    ).toThrow(/checks\["a:m"\]\.timeoutMs/);
    expect(() =>
      createHealth({ checks: [check('a', { status: 'pass' }), check('a', { status: 'pass' })] }),
    ).toThrow(/two checks are named "a:m"/);
  });
});
