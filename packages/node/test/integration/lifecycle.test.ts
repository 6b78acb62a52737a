import type { NodeProcess } from '@otel-perf/test-utils';
import { waitFor } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { appPort, closedPort, httpGet, metricsUrl, type Preload, runApp, sendRequests } from '../helpers.js';

const running: NodeProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.kill('SIGKILL');
    await p.exited;
  }
});

function app(...args: Parameters<typeof runApp>): NodeProcess {
  const p = runApp(...args);
  running.push(p);
  return p;
}

/** OTLP pointed at a closed port with a long exporter budget: only our own bound can end a flush quickly. */
async function otlpDown(): Promise<NodeJS.ProcessEnv> {
  return {
    OTEL_METRICS_EXPORTER: 'prometheus,otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
    OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
    OTEL_PERF_SHUTDOWN_TIMEOUT: '1000',
  };
}

/** Starts `script`, sends it traffic, sends `signal`, and returns how it ended. */
async function endWith(
  script: string,
  signal: NodeJS.Signals,
  { preload, env = {} }: { preload: Preload; env?: NodeJS.ProcessEnv },
) {
  const p = app(script, { preload, env });
  await sendRequests(await appPort(p), ['/a', '/b']);
  if (preload !== 'none') await metricsUrl(p);
  p.kill(signal);
  return { exit: await p.exited, p };
}

describe('life and death are the app’s', () => {
  it.each<[string, NodeJS.Signals, Preload]>([
    ['server.cjs', 'SIGTERM', 'require'],
    ['server.cjs', 'SIGINT', 'require'],
    ['server.mjs', 'SIGTERM', 'import'],
  ])(
    '%s without a %s handler dies of the signal, as without the preload (%s)',
    async (script, signal, preload) => {
      const bare = await endWith(script, signal, { preload: 'none' });
      expect(bare.exit).toEqual({ code: null, signal });
      const withUs = await endWith(script, signal, { preload, env: await otlpDown() });
      expect(withUs.exit).toEqual(bare.exit);
    },
  );

  it('an app that closes its server on SIGTERM exits 0, with or without the preload (OTLP down)', async () => {
    const env = { APP_SIGTERM: 'close' };
    const bare = await endWith('server.cjs', 'SIGTERM', { preload: 'none', env });
    expect(bare.exit).toEqual({ code: 0, signal: null });
    const started = Date.now();
    const withUs = await endWith('server.cjs', 'SIGTERM', {
      preload: 'require',
      env: { ...env, ...(await otlpDown()) },
    });
    expect(withUs.exit).toEqual({ code: 0, signal: null });
    expect(withUs.p.stdout()).toContain('app got SIGTERM');
    // Bounded by OTEL_PERF_SHUTDOWN_TIMEOUT (1 s per final flush), not by the 30 s exporter budget.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an app that ignores SIGTERM keeps running: the preload flushes and never exits for it', async () => {
    const p = app('server.cjs', { env: { APP_SIGTERM: 'ignore', OTEL_LOG_LEVEL: 'debug' } });
    const port = await appPort(p);
    p.kill('SIGTERM');
    await p.waitForOutput(/app ignores SIGTERM/);
    await waitFor(() => p.stderr().includes('otel-perf: final flush done (signal-handled-by-app)'), {
      what: 'the background flush to finish',
    });
    expect((await httpGet(`http://127.0.0.1:${port}/still-here`)).body).toBe('hello /still-here');
    // A second SIGTERM is the app's too.
    p.kill('SIGTERM');
    await waitFor(() => p.stdout().match(/app ignores SIGTERM/g)?.length === 2, {
      what: 'the second SIGTERM',
    });
    expect((await httpGet(`http://127.0.0.1:${port}/still-here`)).status).toBe(200);
  });

  it('with the OTLP endpoint down the app serves requests and a job ends on its own with its exit code', async () => {
    const env = {
      ...(await otlpDown()),
      BATCH_EXIT_CODE: '5',
      BATCH_WORK_MS: '1500',
      OTEL_METRIC_EXPORT_INTERVAL: '300',
    };
    const started = Date.now();
    const p = app('batch.mjs', { preload: 'import', env });
    expect(await p.exited).toEqual({ code: 5, signal: null });
    expect(p.stdout()).toContain('batch done');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("the app's own return values and exceptions are unchanged", async () => {
    const bare = app('parity.cjs', { preload: 'none' });
    const withUs = app('parity.cjs', { preload: 'require' });
    const [b, w] = await Promise.all([bare.exited, withUs.exited]);
    expect(b).toEqual({ code: 3, signal: null });
    expect(w).toEqual(b);
    const seen = JSON.parse(bare.stdout());
    expect(seen).toMatchObject({
      listenReturnsServer: true,
      getReturnsClientRequest: true,
      status: 200,
      uncaught: 'TypeError: handler threw on purpose',
      uncaughtIsTypeError: true,
    });
    expect(JSON.parse(withUs.stdout())).toEqual(seen);
  });

  it.each<[string, string]>([
    ['crash.cjs', 'RangeError: app crashed on purpose'],
    ['server.cjs', 'Error: handler crashed on purpose'],
  ])('%s crashes with the same status and message with the preload', async (script, message) => {
    const run = async (preload: Preload) => {
      const p = app(script, { preload });
      if (script === 'server.cjs') {
        const port = await appPort(p);
        await httpGet(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
      }
      return { exit: await p.exited, stderr: p.stderr() };
    };
    const bare = await run('none');
    const withUs = await run('require');
    expect(bare.exit).toEqual({ code: 1, signal: null });
    expect(withUs.exit).toEqual(bare.exit);
    expect(bare.stderr).toContain(message);
    expect(withUs.stderr).toContain(message);
  });
});
