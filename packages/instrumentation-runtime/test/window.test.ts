import { describe, expect, it } from 'vitest';
import { TrailingWindow, WINDOW_STEPS } from '../src/window.js';

describe('TrailingWindow', () => {
  it('reports the samples of the last steps and forgets older ones', () => {
    const w = new TrailingWindow(1000, 0); // steps of 200 ms
    w.record(100, 10); // 100 ms delay in the first step
    for (let t = 20; t < 1000; t += 20) w.record(1, t);
    expect(w.delayStats(999)?.max).toBeCloseTo(0.1, 2);
    // Once the first step has left the window (after WINDOW_STEPS more steps), its sample is gone.
    for (let t = 1000; t < 1000 + 200 * WINDOW_STEPS; t += 20) w.record(1, t);
    expect(w.delayStats(2000)?.max).toBeCloseTo(0.001, 3);
  });

  it('is not changed by reading it', () => {
    const w = new TrailingWindow(1000, 0);
    w.record(50, 10);
    w.record(2, 30);
    const a = w.delayStats(40);
    const b = w.delayStats(40);
    expect(b).toEqual(a);
    expect(a?.count).toBe(2);
  });

  it('keeps a block longer than the window inside the window', () => {
    const w = new TrailingWindow(1000, 0);
    w.record(1, 10);
    w.record(5000, 5020); // the loop was blocked for 5 s
    expect(w.delayStats(5020)?.max).toBeCloseTo(5, 1);
  });

  it('clamps values into the histogram range (0 → 1 µs, beyond an hour → an hour)', () => {
    const w = new TrailingWindow(1000, 0);
    w.record(0, 1);
    w.record(1e10, 2);
    const s = w.delayStats(3);
    expect(s?.min).toBe(1e-6);
    expect(s?.max).toBeGreaterThanOrEqual(3500);
  });
});
