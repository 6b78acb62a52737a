import type { AlertBook, Observation, Timing } from './alerts.js';
import { DEFAULT_ALERT_THRESHOLD } from './detection.js';
import { LeakWindow, type RegressionSlab, type Series } from './series.js';
import { type CompiledSignal, describeSeries, labelsOf } from './signals.js';
import { ALERT_LEVELS, type AlertLevel, type RulesConfig, type ThresholdRule } from './types.js';

const HOUR = 3_600_000;

interface CompiledThreshold {
  name: string;
  signal: string;
  op: ThresholdRule['op'];
  value: number;
  level: AlertLevel;
  description: string;
  timing: Timing;
}

/** The rules, resolved against the signals and ready to run per series. */
export interface CompiledRules {
  anomaly: { warning: number; critical: number; timing: Timing } | undefined;
  /** Threshold rules by signal index. */
  thresholds: CompiledThreshold[][];
  leak:
    | {
        signals: Set<number>;
        growthPerHour: number;
        windowMs: number;
        minR2: number;
        level: AlertLevel;
        timing: Timing;
      }
    | undefined;
  regression:
    | { signals: Set<number>; ratio: number; minSamples: number; level: AlertLevel; timing: Timing }
    | undefined;
}

const BUILTIN_THRESHOLDS = {
  errorRate: {
    signal: 'http.server.error_ratio',
    threshold: 0.05,
    forMs: 60_000,
    level: 'critical',
    what: 'HTTP 5xx ratio',
  },
  latency: {
    signal: 'http.server.request.duration.p99',
    threshold: 5,
    forMs: 60_000,
    level: 'critical',
    what: 'HTTP p99 latency (s)',
  },
  cpu: {
    signal: 'process.cpu.utilization',
    threshold: 0.8,
    forMs: 300_000,
    level: 'warning',
    what: 'CPU utilization',
  },
  eventLoopDelay: {
    signal: 'nodejs.eventloop.delay.p99',
    threshold: 0.1,
    forMs: 60_000,
    level: 'warning',
    what: 'event-loop delay p99 (s)',
  },
  breakerOpen: {
    signal: 'circuit_breaker.open',
    threshold: 0,
    forMs: 0,
    level: 'warning',
    what: 'circuit breakers open',
  },
} as const;

function err(key: string, value: unknown, allowed: string): Error {
  return new Error(`@otel-perf/anomaly: ${key} must be ${allowed}, got ${JSON.stringify(value)}`);
}

function num(key: string, v: unknown, dflt: number, min = 0, max = Number.POSITIVE_INFINITY): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw err(key, v, `a number from ${min}${max === Number.POSITIVE_INFINITY ? '' : ` to ${max}`}`);
  return v;
}

function level(key: string, v: unknown, dflt: AlertLevel): AlertLevel {
  if (v === undefined) return dflt;
  if (!(ALERT_LEVELS as readonly unknown[]).includes(v)) throw err(key, v, 'info, warning or critical');
  return v as AlertLevel;
}

const RULE_KEYS: Record<string, readonly string[]> = {
  anomaly: ['warning', 'critical', 'forMs', 'resolveAfterMs', 'restMs'],
  memoryLeak: ['signals', 'growthPerHour', 'windowMs', 'minR2', 'forMs', 'level'],
  regression: ['signals', 'ratio', 'minSamples', 'forMs', 'level'],
  ...Object.fromEntries(Object.keys(BUILTIN_THRESHOLDS).map((k) => [k, ['threshold', 'forMs', 'level']])),
};

function checkKeys(rules: RulesConfig): void {
  if (rules === null || typeof rules !== 'object') throw err('rules', rules, 'an object');
  for (const [name, c] of Object.entries(rules)) {
    const allowed = RULE_KEYS[name];
    if (!allowed) throw err(`rules.${name}`, c, `a rule among ${Object.keys(RULE_KEYS).join(', ')}`);
    if (c === false || c === true || c === undefined) continue;
    if (c === null || typeof c !== 'object') throw err(`rules.${name}`, c, 'false or an object');
    for (const k of Object.keys(c))
      if (!allowed.includes(k))
        throw err(
          `rules.${name}.${k}`,
          (c as Record<string, unknown>)[k],
          `one of the options ${allowed.join(', ')}`,
        );
  }
}

/** Validates the rules configuration (throwing with the key) and binds it to the signals. */
export function compileRules(
  rules: RulesConfig = {},
  user: readonly ThresholdRule[] = [],
  signals: readonly CompiledSignal[],
): CompiledRules {
  checkKeys(rules);
  const byId = new Map(signals.map((s) => [s.id, s.index]));
  const thresholds: CompiledThreshold[][] = signals.map(() => []);
  const names = new Set<string>(['anomaly', 'memoryLeak', 'regression']);
  for (const [name, d] of Object.entries(BUILTIN_THRESHOLDS)) {
    const raw = rules[name as keyof typeof BUILTIN_THRESHOLDS];
    const c = raw === true ? undefined : raw;
    names.add(name);
    if (c === false) continue;
    const idx = byId.get(d.signal);
    if (idx === undefined) continue;
    const k = `rules.${name}`;
    thresholds[idx]?.push({
      name,
      signal: d.signal,
      op: 'gt',
      value: num(`${k}.threshold`, c?.threshold, d.threshold, Number.NEGATIVE_INFINITY),
      level: level(`${k}.level`, c?.level, d.level),
      description: d.what,
      timing: { forMs: num(`${k}.forMs`, c?.forMs, d.forMs), resolveAfterMs: 0, restMs: 0 },
    });
  }
  user.forEach((r, i) => {
    const k = `thresholds[${i}]`;
    if (!r || typeof r.name !== 'string' || r.name === '')
      throw err(`${k}.name`, r?.name, 'a non-empty string');
    if (names.has(r.name)) throw err(`${k}.name`, r.name, 'a name no other rule has');
    names.add(r.name);
    const idx = byId.get(r.signal);
    if (idx === undefined)
      throw err(`${k}.signal`, r.signal, `a watched signal id (${[...byId.keys()].join(', ')})`);
    if (!['gt', 'lt', 'gte', 'lte'].includes(r.op)) throw err(`${k}.op`, r.op, 'gt, lt, gte or lte');
    thresholds[idx]?.push({
      name: r.name,
      signal: r.signal,
      op: r.op,
      value: num(`${k}.value`, r.value, 0, Number.NEGATIVE_INFINITY),
      level: level(`${k}.level`, r.level, 'warning'),
      description: r.description ?? r.signal,
      timing: { forMs: num(`${k}.forMs`, r.forMs, 0), resolveAfterMs: 0, restMs: 0 },
    });
  });

  let anomaly: CompiledRules['anomaly'];
  if (rules.anomaly !== false) {
    const a = rules.anomaly === true ? {} : (rules.anomaly ?? {});
    const warning = num('rules.anomaly.warning', a.warning, DEFAULT_ALERT_THRESHOLD, 0, 1);
    anomaly = {
      warning,
      critical: num('rules.anomaly.critical', a.critical, warning + (1 - warning) / 2, warning, 1),
      timing: {
        forMs: num('rules.anomaly.forMs', a.forMs, 0),
        resolveAfterMs: num('rules.anomaly.resolveAfterMs', a.resolveAfterMs, 60_000),
        restMs: num('rules.anomaly.restMs', a.restMs, 1_800_000),
      },
    };
  }

  const pick = (key: string, ids: readonly string[] | undefined, dflt: readonly string[]): Set<number> => {
    const out = new Set<number>();
    if (ids !== undefined && !Array.isArray(ids)) throw err(key, ids, 'an array of signal ids');
    for (const id of ids ?? dflt) {
      const idx = byId.get(id);
      if (idx === undefined) {
        if (ids) throw err(key, id, `a watched signal id (${[...byId.keys()].join(', ')})`);
        continue;
      }
      out.add(idx);
    }
    return out;
  };

  let leak: CompiledRules['leak'];
  if (rules.memoryLeak !== false) {
    const l = rules.memoryLeak === true ? {} : (rules.memoryLeak ?? {});
    leak = {
      signals: pick('rules.memoryLeak.signals', l.signals, ['v8js.memory.heap.used', 'process.memory.usage']),
      growthPerHour: num('rules.memoryLeak.growthPerHour', l.growthPerHour, 0.1),
      windowMs: num('rules.memoryLeak.windowMs', l.windowMs, HOUR, 60_000),
      minR2: num('rules.memoryLeak.minR2', l.minR2, 0.5, 0, 1),
      level: level('rules.memoryLeak.level', l.level, 'warning'),
      timing: { forMs: num('rules.memoryLeak.forMs', l.forMs, 0), resolveAfterMs: 0, restMs: 0 },
    };
  }

  let regression: CompiledRules['regression'];
  if (rules.regression !== false) {
    const r = rules.regression === true ? {} : (rules.regression ?? {});
    regression = {
      signals: pick('rules.regression.signals', r.signals, [
        'http.server.request.duration.p99',
        'db.client.operation.duration.p99',
      ]),
      ratio: num('rules.regression.ratio', r.ratio, 1.5, 1),
      minSamples: num('rules.regression.minSamples', r.minSamples, 5, 1),
      level: level('rules.regression.level', r.level, 'warning'),
      timing: { forMs: num('rules.regression.forMs', r.forMs, 0), resolveAfterMs: 0, restMs: 0 },
    };
  }
  return { anomaly, thresholds, leak, regression };
}

const OPS: Record<ThresholdRule['op'], [(a: number, b: number) => boolean, string]> = {
  gt: [(a, b) => a > b, 'above'],
  gte: [(a, b) => a >= b, 'at or above'],
  lt: [(a, b) => a < b, 'below'],
  lte: [(a, b) => a <= b, 'at or below'],
};

/** A number for a human: 4 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

/**
 * Runs every rule that reads this series' signal, for one new value, and hands the verdicts to the book.
 * `score` is the detector's score of this value, `baseline` the detector's baseline before it.
 */
export function evaluateSeries(
  rules: CompiledRules,
  s: Series,
  value: number,
  score: number,
  baseline: number,
  now: number,
  book: AlertBook,
  slab: RegressionSlab,
): void {
  const sig = s.signal;
  const open = s.openStates > 0;
  const obs = (v: number, base: number, lvl: AlertLevel, reason: string) =>
    observation(s, score, v, base, lvl, reason);

  const a = rules.anomaly;
  if (a && sig.detect) {
    const bad =
      sig.direction === 'both' ||
      Number.isNaN(baseline) ||
      (sig.direction === 'up' ? value > baseline : value < baseline);
    const on = score >= a.warning && bad;
    // Building the observation costs a few strings: only when something can happen.
    if (on || (open && book.has('anomaly', s.key))) {
      const lvl: AlertLevel = score >= a.critical ? 'critical' : 'warning';
      book.observe(
        'anomaly',
        on,
        obs(
          value,
          baseline,
          lvl,
          `${sig.id} is ${fmt(value)}, baseline ${fmt(baseline)} (anomaly score ${fmt(score)})`,
        ),
        a.timing,
        now,
      );
    }
  }

  const ts = rules.thresholds[sig.index];
  if (ts) {
    for (const t of ts) {
      const [test, words] = OPS[t.op];
      const on = test(value, t.value);
      if (on || (open && book.has(t.name, s.key))) {
        book.observe(
          t.name,
          on,
          obs(value, t.value, t.level, `${t.description} is ${fmt(value)}, ${words} ${fmt(t.value)}`),
          t.timing,
          now,
        );
      }
    }
  }

  const leak = rules.leak;
  if (leak?.signals.has(sig.index)) {
    s.extra ??= {};
    s.extra.leak ??= new LeakWindow();
    s.extra.leak.add(now, value, leak.windowMs / 60);
    const f = s.extra.leak.fit(now, leak.windowMs);
    const on = f.spanMs >= leak.windowMs * 0.9 && f.r2 >= leak.minR2 && f.growthPerHour > leak.growthPerHour;
    if (on || (open && book.has('memoryLeak', s.key))) {
      book.observe(
        'memoryLeak',
        on,
        obs(
          value,
          f.mean,
          leak.level,
          `${sig.id} grows ${fmt(f.growthPerHour * 100)}% per hour over the last ${fmt(leak.windowMs / 60_000)} min (R² ${fmt(f.r2)})`,
        ),
        leak.timing,
        now,
      );
    }
  }

  const reg = rules.regression;
  if (reg?.signals.has(sig.index)) {
    if (s.slot < 0) s.slot = slab.alloc();
    const hour = Math.floor(now / HOUR);
    const mean = slab.add(s.slot, hour, value);
    const markedValue = slab.marked(s.slot);
    const marked = !Number.isNaN(markedValue);
    const ref = marked ? markedValue : slab.hourMean(s.slot, hour - 24);
    const on = ref > 0 && mean > ref * reg.ratio;
    // Too few values this hour to say either way: an open alert stays as it is.
    if (slab.count(s.slot) >= reg.minSamples && (on || (open && book.has('regression', s.key)))) {
      book.observe(
        'regression',
        on,
        obs(
          mean,
          ref,
          reg.level,
          `${sig.id} averages ${fmt(mean)} this hour, ${fmt(mean / ref)}× ${marked ? 'the marked baseline' : 'the same hour yesterday'} (${fmt(ref)})`,
        ),
        reg.timing,
        now,
      );
    }
  }
}

/** Marks a series' current hour mean so far as its regression reference; false when it has none yet. */
export function markSeries(s: Series, slab: RegressionSlab): boolean {
  if (s.slot < 0) return false;
  const m = slab.mean(s.slot);
  if (Number.isNaN(m)) return false;
  slab.mark(s.slot, m);
  return true;
}

function observation(
  s: Series,
  score: number,
  value: number,
  baseline: number,
  level: AlertLevel,
  reason: string,
): Observation {
  let labels: Record<string, string> | undefined;
  const getLabels = () => {
    labels ??= labelsOf(s.key, s.signal);
    return labels;
  };
  return {
    owner: s,
    signal: s.signal.id,
    key: s.key,
    series: describeSeries(s.signal.metric, getLabels()),
    labels: getLabels,
    value,
    baseline,
    score,
    level,
    reason,
  };
}
