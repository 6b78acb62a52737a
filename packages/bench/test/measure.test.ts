import { describe, expect, it } from 'vitest';
import { measureNsPerOp, processCpuMs } from '../src/index.js';

function spin(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end) {
    // busy wait
  }
}

describe('measureNsPerOp', () => {
  it('measures the time of one call (a 20 µs busy wait is at least 20 µs)', async () => {
    const ns = await measureNsPerOp(() => spin(20_000), { iterations: 200, warmup: 10, clock: 'wall' });
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
  it('stops after about durationMs (wall clock)', async () => {
    const t0 = Date.now();
    await measureNsPerOp(() => spin(1000), { durationMs: 100, clock: 'wall' });
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

describe('processCpuMs', () => {
  it('agrees with process.cpuUsage() within its 10 ms resolution', () => {
    const before = processCpuMs(process.pid);
    const usage0 = process.cpuUsage();
    // Burn 200 ms of CPU time (not wall time: the machine is shared).
    while (process.cpuUsage(usage0).user < 200_000) {
      // busy
    }
    const d = process.cpuUsage(usage0);
    const used = processCpuMs(process.pid) - before;
    const expected = (d.user + d.system) / 1000;
    expect(used).toBeGreaterThanOrEqual(expected - 20);
    expect(used).toBeLessThan(expected + 100);
  });
});

describe('measureNsPerOp on the CPU clock', () => {
  it('counts CPU time: a call burning 50 µs of CPU measures at least that, in ns', async () => {
    const burn = () => {
      const u0 = process.cpuUsage();
      for (;;) {
        const d = process.cpuUsage(u0);
        if (d.user + d.system >= 50) return;
      }
    };
    const ns = await measureNsPerOp(burn, { durationMs: 100 });
    expect(ns).toBeGreaterThanOrEqual(50_000);
    // Other threads of the process (GC, the test runner) add some; a unit error would be 1000×.
    expect(ns).toBeLessThan(5_000_000);
  });
  it('does not count time spent waiting', async () => {
    const ns = await measureNsPerOp(() => new Promise<void>((r) => setTimeout(r, 5)), {
      iterations: 10,
      warmup: 1,
    });
    expect(ns).toBeLessThan(5_000_000);
    const wall = await measureNsPerOp(() => new Promise<void>((r) => setTimeout(r, 5)), {
      iterations: 10,
      warmup: 1,
      clock: 'wall',
    });
    expect(wall).toBeGreaterThanOrEqual(4_900_000);
  });
});
