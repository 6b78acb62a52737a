/** How long `measureNsPerOp` measures: a fixed number of calls, or a time budget. */
export interface MeasureOptions {
  /** Measured calls (after the warm-up). Takes precedence over `durationMs`. */
  iterations?: number;
  /**
   * Measure for about this long (on `clock`) instead of a fixed count.
   * @default 500
   */
  durationMs?: number;
  /**
   * Unmeasured calls first, so the JIT has optimised `fn`.
   * @default max(1000, 10% of iterations) or, with durationMs, about 20% of the time budget
   */
  warmup?: number;
  /**
   * `cpu`: CPU time of this process (`process.cpuUsage()`, user + system), so time the scheduler gives to
   * the other tenants of a shared machine is not counted. `wall`: `process.hrtime`, for code that waits
   * (I/O, timers), where CPU time would miss the waiting.
   * @default 'cpu'
   */
  clock?: 'cpu' | 'wall';
}

/** Every result of `fn` is stored here, so the JIT cannot drop a call whose result is unused. */
let sink: unknown;
const SENTINEL = Symbol('never-returned');

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function wallNs(): number {
  return Number(process.hrtime.bigint());
}
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * Mean time of one call of `fn`, in nanoseconds, after a warm-up. A `fn` that returns a promise is awaited
 * (one call at a time). The clock is read once per batch of calls (batches of at least ~1 ms), so its own
 * cost and resolution stay out of the figure for fast operations.
 *
 * @example
 * const ns = await measureNsPerOp(() => histogram.record(0.1, attrs), { durationMs: 300 });
 */
export async function measureNsPerOp(fn: () => unknown, options: MeasureOptions = {}): Promise<number> {
  const { iterations, durationMs = 500, clock = 'cpu' } = options;
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1)) {
    throw new Error(`measureNsPerOp: iterations must be an integer >= 1, got ${iterations}`);
  }
  if (!(durationMs > 0)) throw new Error(`measureNsPerOp: durationMs must be > 0, got ${durationMs}`);
  if (clock !== 'cpu' && clock !== 'wall') {
    throw new Error(`measureNsPerOp: clock must be 'cpu' or 'wall', got ${JSON.stringify(clock)}`);
  }
  const now = clock === 'cpu' ? cpuNs : wallNs;
  const first = fn();
  const isAsync = isThenable(first);
  if (isAsync) sink = await first;

  const runCount = async (count: number): Promise<number> => {
    const t0 = now();
    if (isAsync) {
      for (let i = 0; i < count; i++) sink = await fn();
    } else {
      for (let i = 0; i < count; i++) sink = fn();
    }
    const elapsed = now() - t0;
    if (sink === SENTINEL) throw new Error('unreachable');
    return elapsed;
  };

  if (iterations !== undefined) {
    await runCount(options.warmup ?? Math.max(1000, Math.floor(iterations / 10)));
    return (await runCount(iterations)) / iterations;
  }
  const budget = durationMs * 1e6;
  if (options.warmup !== undefined) await runCount(options.warmup);
  // Size the batch (doubling from 1 until one batch takes >= 1 ms); without a warm-up count this also
  // warms up for about a fifth of the budget.
  const warmBudget = options.warmup === undefined ? budget / 5 : 0;
  let batch = 1;
  let spent = 0;
  for (;;) {
    const t = await runCount(batch);
    spent += t;
    const small = t < 1e6 && batch < 1 << 20;
    if (small) batch *= 2;
    else if (spent >= warmBudget) break;
  }
  let elapsed = 0;
  let count = 0;
  while (elapsed < budget) {
    elapsed += await runCount(batch);
    count += batch;
  }
  return elapsed / count;
}
