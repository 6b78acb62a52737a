import { describe, expect, it } from 'vitest';
import { measureNsPerOp } from '../src/index.js';

function spin(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end) {
    // busy wait
  }
}

describe('measureNsPerOp', () => {
  it('measures the time of one call (a 20 µs busy wait is at least 20 µs)', async () => {
    const ns = await measureNsPerOp(() => spin(20_000), { iterations: 200, warmup: 10 });
    expect(ns).toBeGreaterThanOrEqual(20_000);
  });
  it('calls fn warm-up + iterations times (+1 probe call)', async () => {
    let calls = 0;
    await measureNsPerOp(
      () => {
        calls++;
      },
      { iterations: 500, warmup: 50 },
    );
    expect(calls).toBe(551);
  });
  it('awaits a fn that returns a promise', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const ns = await measureNsPerOp(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => setImmediate(r));
        inFlight--;
      },
      { iterations: 50, warmup: 5 },
    );
    expect(maxInFlight).toBe(1);
    expect(ns).toBeGreaterThan(0);
  });
  it('stops after about durationMs', async () => {
    const t0 = Date.now();
    await measureNsPerOp(() => spin(1000), { durationMs: 100 });
    const took = Date.now() - t0;
    // 100 ms measured + 20 ms warm-up, plus at most a batch or two of overshoot.
    expect(took).toBeGreaterThanOrEqual(100);
    expect(took).toBeLessThan(2000);
  });
  it('rejects a bad iteration count', async () => {
    await expect(measureNsPerOp(() => 1, { iterations: 0 })).rejects.toThrow(
      /iterations must be an integer >= 1, got 0/,
    );
  });
});
