import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTest, startServer } from '../../src/index.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'server.cjs');

beforeAll(() => {
  try {
    execFileSync('wrk', ['-v'], { stdio: 'ignore' });
  } catch (err) {
    // wrk -v exits 1 after printing its version; only a missing binary is an error.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('wrk is not installed: run bash scripts/services/extra-wrk.sh');
    }
  }
});

describe('startServer + loadTest', () => {
  it('waits until a slow-starting server answers, passes env, and measures it with wrk', async () => {
    const server = await startServer([], fixture, { STARTUP_DELAY_MS: '300', GREETING: 'bench' });
    try {
      const body = await (await fetch(server.url)).text();
      expect(body).toBe('hello bench');
      const r = await loadTest({ url: `${server.url}/`, connections: 4, durationMs: 1000 });
      expect(r.requests).toBeGreaterThan(100);
      expect(r.requestsPerSec).toBeGreaterThan(100);
      expect(r.p99Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    } finally {
      await server.stop();
    }
    expect(server.child.exitCode !== null || server.child.signalCode !== null).toBe(true);
  });

  it('fails with the output when the server exits before answering', async () => {
    await expect(startServer([], fixture, { EXIT_EARLY: '1' })).rejects.toThrow(
      /exited \(code 3.*\) before answering[\s\S]*exiting on purpose/,
    );
  });

  it('reports wrk errors instead of figures when nothing listens', async () => {
    const server = await startServer([], fixture);
    const { url } = server;
    await server.stop();
    await expect(loadTest({ url, connections: 2, durationMs: 1000 })).rejects.toThrow(/errors|failed/);
  });
});
