import { describe, expect, it } from 'vitest';
import { CountWindow, TimeWindow } from '../src/window.js';

describe('CountWindow', () => {
  it('keeps the last size calls', () => {
    const w = new CountWindow(3);
    expect(w.read()).toEqual({ calls: 0, failures: 0, slow: 0 });
    w.add(true, false);
    w.add(false, true);
    expect(w.read()).toEqual({ calls: 2, failures: 1, slow: 1 });
    w.add(false, false);
    w.add(false, false); // pushes out the first (failed) call
    expect(w.read()).toEqual({ calls: 3, failures: 0, slow: 1 });
    w.add(true, true); // pushes out the slow one, adds a failed slow one
    expect(w.read()).toEqual({ calls: 3, failures: 1, slow: 1 });
  });
});

describe('TimeWindow', () => {
  it('counts the calls of the last duration and drops older slices', () => {
    const w = new TimeWindow(1000, 10); // 100 ms slices
    w.add(true, false, 50);
    w.add(false, true, 150);
    w.add(false, false, 950);
    expect(w.read(999)).toEqual({ calls: 3, failures: 1, slow: 1 });
    // At 1050 the slice [0, 100) has left the window; [100, 200) is still in it.
    expect(w.read(1050)).toEqual({ calls: 2, failures: 0, slow: 1 });
    expect(w.read(1150)).toEqual({ calls: 1, failures: 0, slow: 0 });
    // A reused slot is cleared first.
    w.add(true, true, 1960);
    expect(w.read(1960)).toEqual({ calls: 1, failures: 1, slow: 1 });
    expect(w.read(5000)).toEqual({ calls: 0, failures: 0, slow: 0 });
  });
});
