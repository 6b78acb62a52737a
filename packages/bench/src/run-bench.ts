import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatResult } from './format.js';
import { defaultResultsDir } from './paths.js';
import { median, minMax, ratio, rotation, slugify } from './stats.js';
import type {
  BenchCase,
  BenchMetric,
  BenchOptions,
  BenchResult,
  BenchSample,
  CaseResult,
  MetricSummary,
} from './types.js';

function validate(options: BenchOptions): void {
  const { title, cases, metric } = options;
  if (typeof title !== 'string' || title.trim() === '')
    throw new Error(`runBench: title must be a non-empty string, got ${JSON.stringify(title)}`);
  if (!Array.isArray(cases) || cases.length === 0)
    throw new Error('runBench: cases must list at least one case');
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`runBench: case name ${JSON.stringify(c.name)} is used twice`);
    names.add(c.name);
    if (typeof c.run !== 'function') throw new Error(`runBench: case ${JSON.stringify(c.name)} has no run()`);
  }
  if (cases.filter((c) => c.baseline).length > 1)
    throw new Error('runBench: more than one case has baseline: true');
  const rounds = options.rounds ?? 5;
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`runBench: rounds must be an integer >= 1, got ${rounds}`);
  const warm = options.warmupRounds ?? 0;
  if (!Number.isInteger(warm) || warm < 0)
    throw new Error(`runBench: warmupRounds must be an integer >= 0, got ${warm}`);
  for (const m of [metric, ...(options.extraMetrics ?? [])]) {
    if (m.better !== 'higher' && m.better !== 'lower')
      throw new Error(
        `runBench: metric ${JSON.stringify(m.name)} better must be 'higher' or 'lower', got ${JSON.stringify(m.better)}`,
      );
  }
}

function split(sample: BenchSample, caseName: string): { value: number; extra: Record<string, number> } {
  const { value, extra = {} } = typeof sample === 'number' ? { value: sample } : sample;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(
      `runBench: case ${JSON.stringify(caseName)} returned ${typeof sample === 'number' ? sample : JSON.stringify(sample)}, not a number`,
    );
  }
  return { value, extra };
}

function summarise(samples: number[], baselineMedian: number): MetricSummary {
  const med = median(samples);
  return { samples, median: med, ...minMax(samples), ratio: ratio(med, baselineMedian) };
}

/**
 * Runs every case once per round, in an order rotated each round, and compares the medians with the
 * baseline's. Prints a table and writes `bench-results/<slug>.json`; returns the same data.
 *
 * @example
 * await runBench({
 *   title: 'cache: get hit',
 *   rounds: 7,
 *   metric: { name: 'ns/op', better: 'lower' },
 *   cases: [
 *     { name: 'bare', baseline: true, run: () => measureNsPerOp(() => map.get('k')) },
 *     { name: 'instrumented', run: () => measureNsPerOp(() => cache.get('k')) },
 *   ],
 * });
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  validate(options);
  const rounds = options.rounds ?? 5;
  const warmupRounds = options.warmupRounds ?? 0;
  const extraMetrics: BenchMetric[] = options.extraMetrics ?? [];
  const cases: BenchCase[] = options.cases;
  const baselineCase = cases.find((c) => c.baseline) ?? (cases[0] as BenchCase);
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const started = Date.now();

  const values = new Map<BenchCase, number[]>(cases.map((c) => [c, []]));
  const extras = new Map<BenchCase, Map<string, number[]>>(cases.map((c) => [c, new Map()]));
  const order: string[][] = [];
  const setUp: BenchCase[] = [];
  try {
    for (const c of cases) {
      await c.setup?.();
      setUp.push(c);
    }
    for (let round = 0; round < warmupRounds + rounds; round++) {
      const measured = round >= warmupRounds;
      const thisRound = rotation(cases, round);
      if (measured) order.push(thisRound.map((c) => c.name));
      for (const c of thisRound) {
        const { value, extra } = split(await c.run(), c.name);
        if (!measured) continue;
        values.get(c)?.push(value);
        const byName = extras.get(c) as Map<string, number[]>;
        for (const [k, v] of Object.entries(extra)) {
          const list = byName.get(k) ?? [];
          list.push(v);
          byName.set(k, list);
        }
      }
    }
  } finally {
    for (const c of setUp.reverse()) {
      try {
        await c.teardown?.();
      } catch (err) {
        print(`runBench: teardown of ${JSON.stringify(c.name)} failed: ${String(err)}`);
      }
    }
  }

  const baseValues = values.get(baselineCase) as number[];
  const baseMedian = median(baseValues);
  const baseExtra = extras.get(baselineCase) as Map<string, number[]>;
  const caseResults: CaseResult[] = cases.map((c) => {
    const extra: Record<string, MetricSummary> = {};
    for (const m of extraMetrics) {
      const samples = extras.get(c)?.get(m.name);
      if (!samples?.length) continue;
      const base = baseExtra.get(m.name);
      extra[m.name] = summarise(samples, base?.length ? median(base) : Number.NaN);
    }
    return {
      name: c.name,
      baseline: c === baselineCase,
      ...summarise(values.get(c) as number[], baseMedian),
      extra,
    };
  });

  const cpuList = cpus();
  const result: BenchResult = {
    title: options.title,
    slug: slugify(options.title),
    metric: options.metric,
    extraMetrics,
    rounds,
    warmupRounds,
    baseline: baselineCase.name,
    order,
    cases: caseResults,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      loadavg: loadavg(),
    },
  };
  const outDir = options.outDir ?? defaultResultsDir();
  if (outDir !== false) {
    mkdirSync(outDir, { recursive: true });
    result.file = join(outDir, `${result.slug}.json`);
    writeFileSync(result.file, `${JSON.stringify(result, null, 2)}\n`);
  }
  print(formatResult(result));
  return result;
}
