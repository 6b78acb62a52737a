import { join } from 'node:path';
import { runNode, waitFor } from '@otel-perf/test-utils';
import { describe, expect, it } from 'vitest';

const app = join(import.meta.dirname, '..', 'fixtures', 'drain-app.mjs');

async function run(env: Record<string, string>) {
  const p = runNode([app], { env, timeoutMs: 20_000 });
  const port = (await p.waitForOutput(/listening (\d+)/))[1];
  const base = `http://127.0.0.1:${port}`;
  if (env.HEALTH === '1') expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  const signalledAt = Date.now();
  p.kill('SIGTERM');
  let readyDuringDrain: number | undefined;
  if (env.HEALTH === '1') {
    // The signal reaches the child asynchronously: poll until ready turns 503 (it must, within the drain).
    readyDuringDrain = await waitFor(
      async () => {
        const status = (await fetch(`${base}/health/ready`)).status;
        return status === 503 ? status : undefined;
      },
      { timeoutMs: 500, intervalMs: 10, what: 'ready to answer 503 during the drain' },
    );
  }
  const exit = await p.exited;
  return { exit, readyDuringDrain, elapsed: Date.now() - signalledAt, stdout: p.stdout() };
}

describe('SIGTERM drain (real subprocess)', () => {
  it('without an app handler: ready is 503 during the drain, then the process dies of SIGTERM as without health', async () => {
    const bare = await run({});
    const withHealth = await run({ HEALTH: '1', DRAIN_MS: '600' });
    expect(bare.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(withHealth.exit).toEqual(bare.exit);
    expect(withHealth.readyDuringDrain).toBe(503);
    expect(withHealth.elapsed).toBeGreaterThanOrEqual(550);
  });

  it.each(['1', 'early'])(
    "with an app handler (%s): it runs after the drain and the exit code is the app's",
    async (when) => {
      const bare = await run({ APP_HANDLER: when });
      const withHealth = await run({ HEALTH: '1', APP_HANDLER: when, DRAIN_MS: '600' });
      expect(bare.exit).toEqual({ code: 0, signal: null });
      expect(withHealth.exit).toEqual(bare.exit);
      expect(withHealth.readyDuringDrain).toBe(503);
      expect(withHealth.stdout).toMatch(/app-handler \d+/);
      expect(withHealth.elapsed).toBeGreaterThanOrEqual(550);
    },
  );
});
