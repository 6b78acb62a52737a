import { join } from 'node:path';
import { runNode } from '@otel-perf/test-utils';
import { expect, it } from 'vitest';

it('never keeps the host process alive: timer, pushes in flight and a throwing callback included', async () => {
  const app = runNode([join(import.meta.dirname, '..', 'fixtures', 'app.mjs')], { timeoutMs: 20_000 });
  // The alert fires (the process is still there for that), then the process ends by itself.
  await app.waitForOutput(/firing deep/, 15_000);
  await app.waitForOutput(/app done/, 15_000);
  const { code, signal } = await app.exited;
  expect({ code, signal, stderr: app.stderr() }).toMatchObject({ code: 0, signal: null });
});
