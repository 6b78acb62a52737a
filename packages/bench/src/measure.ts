/** How long `measureNsPerOp` measures: a fixed number of calls, or a time budget. */
export interface MeasureOptions {
  /** Measured calls (after the warm-up). Takes precedence over `durationMs`. */
  iterations?: number;
  /**
   * Measure for about this long instead of a fixed count.
   * @default 500
   */
  durationMs?: number;
  /**
   * Unmeasured calls first, so the JIT has optimised `fn`.
   * @default max(1000, 10% of iterations) or, with durationMs, about 20% of the time budget
   */
  warmup?: number;
}

const BATCH = 256;

/**
 * Every result of `fn` is stored here, so the JIT cannot drop a call whose result is unused and
 * report an empty loop.
 */
let sink: unknown;
const SENTINEL = Symbol('never-returned');

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/**
 * Mean time of one call of `fn`, in nanoseconds, after a warm-up. A `fn` that returns a promise is awaited
 * (one call at a time). The clock is read once per batch of calls, so its own cost stays out of the
 * figure for fast operations.
 *
 * @example
 * const ns = await measureNsPerOp(() => histogram.record(0.1, attrs), { durationMs: 300 });
 */
export async function measureNsPerOp(fn: () => unknown, options: MeasureOptions = {}): Promise<number> {
  const { iterations, durationMs = 500 } = options;
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1)) {
    throw new Error(`measureNsPerOp: iterations must be an integer >= 1, got ${iterations}`);
  }
  if (!(durationMs > 0)) throw new Error(`measureNsPerOp: durationMs must be > 0, got ${durationMs}`);
  const first = fn();
  const isAsync = isThenable(first);
  if (isAsync) await first;

  const runCount = async (count: number): Promise<bigint> => {
    const t0 = process.hrtime.bigint();
    if (isAsync) {
      for (let i = 0; i < count; i++) sink = await fn();
    } else {
      for (let i = 0; i < count; i++) sink = fn();
    }
    const elapsed = process.hrtime.bigint() - t0;
    if (sink === SENTINEL) throw new Error('unreachable');
    return elapsed;
  };

  if (iterations !== undefined) {
    await runCount(options.warmup ?? Math.max(1000, Math.floor(iterations / 10)));
    return Number(await runCount(iterations)) / iterations;
  }
  const budget = BigInt(Math.round(durationMs * 1e6));
  // Warm-up: a fixed count when given, else about a fifth of the time budget.
  if (options.warmup !== undefined) await runCount(options.warmup);
  else {
    const warmBudget = budget / 5n;
    let spent = 0n;
    while (spent < warmBudget) spent += await runCount(BATCH);
  }
  let elapsed = 0n;
  let count = 0;
  while (elapsed < budget) {
    elapsed += await runCount(BATCH);
    count += BATCH;
  }
  return Number(elapsed) / count;
}
