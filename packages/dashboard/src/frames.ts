import { bucketDelta, histogramQuantile } from '@otel-perf/core';
import type { MetricSnapshot, SnapshotPoint } from '@otel-perf/health';
import { SOURCE_ATTRIBUTES as A, LATENCY_BAND_CRITICAL, LATENCY_BANDS, SOURCES as S } from './sources.js';

/** Latency percentiles in seconds (null when nothing was recorded in the interval). */
export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
}

/** One route's traffic in one interval. */
export interface RouteStats extends Percentiles {
  route: string;
  /** Requests per second. */
  rps: number;
  /** 5xx responses / all responses (0 when there were none). */
  errorRate: number;
  /** Requests per named latency band in the interval. */
  bands: Record<string, number>;
}

/** What the dashboard shows for one collection interval. Groups are absent while their metrics are. */
export interface Frame {
  /** Collection time, ms since epoch. */
  t: number;
  /** Seconds since the previous collection. */
  intervalS: number;
  http?: Percentiles & { rps: number; errorRate: number; active: number | null; routes: RouteStats[] };
  runtime?: {
    eventLoopDelayP99: number | null;
    eventLoopUtilization: number | null;
    heapUsed: number | null;
    heapLimit: number | null;
    rss: number | null;
    cpu: number | null;
  };
  db?: {
    operationP99: number | null;
    pools: {
      name: string;
      used: number;
      idle: number;
      max: number | null;
      pending: number;
      waitMean: number | null;
      timeouts: number;
    }[];
  };
  cache?: { caches: { name: string; layer: string; hitRatio: number | null; requests: number }[] };
  breakers?: { name: string; state: string }[];
  health?: { status: string; score: number | null };
  alerts?: { active: unknown[] };
}

type Points = SnapshotPoint[];

const key = (p: SnapshotPoint) => JSON.stringify(p.attributes);

function points(s: MetricSnapshot | undefined, name: string): Points {
  return s?.metrics[name]?.points ?? [];
}

function sum(pts: Points, where: (p: SnapshotPoint) => boolean = () => true): number | null {
  let found = false;
  let total = 0;
  for (const p of pts) {
    if (!where(p)) continue;
    found = true;
    total += p.value ?? 0;
  }
  return found ? total : null;
}

interface Hist {
  boundaries: number[];
  counts: number[];
  count: number;
  sum: number;
}

/** Delta of each histogram series between two cumulative snapshots, keyed by attributes. */
function histogramDeltas(
  cur: MetricSnapshot,
  prev: MetricSnapshot | undefined,
  name: string,
): { attributes: Record<string, unknown>; h: Hist }[] {
  const before = new Map(points(prev, name).map((p) => [key(p), p]));
  const out: { attributes: Record<string, unknown>; h: Hist }[] = [];
  for (const p of points(cur, name)) {
    if (!p.buckets) continue;
    const b = before.get(key(p));
    out.push({
      attributes: p.attributes,
      h: {
        boundaries: p.buckets.boundaries,
        counts: bucketDelta(p.buckets.counts, b?.buckets?.counts),
        count: Math.max(0, (p.count ?? 0) - (b?.count ?? 0)),
        sum: Math.max(0, (p.sum ?? 0) - (b?.sum ?? 0)),
      },
    });
  }
  return out;
}

function merge(hs: Hist[]): Hist | undefined {
  const first = hs[0];
  if (!first) return undefined;
  const counts = first.counts.map(() => 0);
  let count = 0;
  let total = 0;
  for (const h of hs) {
    if (h.counts.length !== counts.length) continue;
    h.counts.forEach((c, i) => {
      counts[i] = (counts[i] ?? 0) + c;
    });
    count += h.count;
    total += h.sum;
  }
  return { boundaries: first.boundaries, counts, count, sum: total };
}

function percentiles(h: Hist | undefined): Percentiles {
  const q = (x: number) => {
    if (!h || h.count === 0) return null;
    const v = histogramQuantile(x, h.boundaries, h.counts);
    return Number.isFinite(v) ? v : null;
  };
  return { p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), p999: q(0.999) };
}

function bands(h: Hist): Record<string, number> {
  const out: Record<string, number> = {};
  let lower = 0;
  for (const band of LATENCY_BANDS) {
    let n = 0;
    h.boundaries.forEach((b, i) => {
      if (b > lower && b <= band.le) n += h.counts[i] ?? 0;
    });
    out[band.name] = n;
    lower = band.le;
  }
  let above = 0;
  h.boundaries.forEach((b, i) => {
    if (b > lower) above += h.counts[i] ?? 0;
  });
  out[LATENCY_BAND_CRITICAL] = above + (h.counts[h.boundaries.length] ?? 0);
  return out;
}

const is5xx = (attrs: Record<string, unknown>) => {
  const s = Number(attrs[A.status]);
  return s >= 500 && s < 600;
};

function httpGroup(
  cur: MetricSnapshot,
  prev: MetricSnapshot | undefined,
  dt: number,
  maxRoutes: number,
): Frame['http'] {
  const deltas = histogramDeltas(cur, prev, S.httpServerDuration);
  if (deltas.length === 0) return undefined;
  const byRoute = new Map<string, { hs: Hist[]; errors: number }>();
  let errors = 0;
  for (const d of deltas) {
    const route = String(d.attributes[A.route] ?? '(no route)');
    const r = byRoute.get(route) ?? { hs: [], errors: 0 };
    r.hs.push(d.h);
    if (is5xx(d.attributes)) {
      r.errors += d.h.count;
      errors += d.h.count;
    }
    byRoute.set(route, r);
  }
  const all = merge(deltas.map((d) => d.h));
  const total = all?.count ?? 0;
  const routes: RouteStats[] = [];
  for (const [route, r] of byRoute) {
    const h = merge(r.hs) as Hist;
    routes.push({
      route,
      rps: h.count / dt,
      errorRate: h.count ? r.errors / h.count : 0,
      bands: bands(h),
      ...percentiles(h),
    });
  }
  routes.sort((a, b) => b.rps - a.rps || a.route.localeCompare(b.route));
  return {
    rps: total / dt,
    errorRate: total ? errors / total : 0,
    active: sum(points(cur, S.httpActiveRequests)),
    routes: routes.slice(0, maxRoutes),
    ...percentiles(all),
  };
}

function runtimeGroup(cur: MetricSnapshot): Frame['runtime'] {
  const g = (name: string) => sum(points(cur, name));
  const rss = sum(points(cur, S.memoryUsage));
  const runtime = {
    eventLoopDelayP99: g(S.eventLoopDelayP99),
    eventLoopUtilization: g(S.eventLoopUtilization),
    heapUsed: g(S.heapUsed),
    heapLimit: g(S.heapLimit),
    rss,
    cpu: g(S.cpuUtilization),
  };
  return Object.values(runtime).some((v) => v !== null) ? runtime : undefined;
}

function dbGroup(cur: MetricSnapshot, prev: MetricSnapshot | undefined): Frame['db'] {
  const names = new Set<string>();
  for (const p of points(cur, S.poolCount)) names.add(String(p.attributes[A.pool] ?? ''));
  const ops = merge(histogramDeltas(cur, prev, S.dbOperationDuration).map((d) => d.h));
  if (names.size === 0 && !ops) return undefined;
  const waits = histogramDeltas(cur, prev, S.poolWait);
  const pools = [...names].sort().map((name) => {
    const of = (p: SnapshotPoint) => p.attributes[A.pool] === name;
    const w = merge(waits.filter((d) => d.attributes[A.pool] === name).map((d) => d.h));
    const timeoutsNow = sum(points(cur, S.poolTimeouts), of) ?? 0;
    const timeoutsBefore = sum(points(prev, S.poolTimeouts), of) ?? 0;
    return {
      name,
      used: sum(points(cur, S.poolCount), (p) => of(p) && p.attributes[A.poolState] === 'used') ?? 0,
      idle: sum(points(cur, S.poolCount), (p) => of(p) && p.attributes[A.poolState] === 'idle') ?? 0,
      max: sum(points(cur, S.poolMax), of),
      pending: sum(points(cur, S.poolPending), of) ?? 0,
      waitMean: w && w.count > 0 ? w.sum / w.count : null,
      timeouts: Math.max(0, timeoutsNow - timeoutsBefore),
    };
  });
  return { operationP99: percentiles(ops).p99, pools };
}

function cacheGroup(cur: MetricSnapshot, prev: MetricSnapshot | undefined): Frame['cache'] {
  const cur_ = points(cur, S.cacheGets);
  if (cur_.length === 0) return undefined;
  const before = new Map(points(prev, S.cacheGets).map((p) => [key(p), p.value ?? 0]));
  const caches = new Map<
    string,
    { name: string; layer: string; hit: number; miss: number; requests: number }
  >();
  for (const p of cur_) {
    const name = String(p.attributes[A.cacheName] ?? '');
    const layer = String(p.attributes[A.cacheLayer] ?? '');
    const c = caches.get(`${name}\u0000${layer}`) ?? { name, layer, hit: 0, miss: 0, requests: 0 };
    const d = Math.max(0, (p.value ?? 0) - (before.get(key(p)) ?? 0));
    const result = String(p.attributes[A.cacheResult]);
    if (result === 'hit' || result === 'stale_hit') c.hit += d;
    else if (result === 'miss') c.miss += d;
    c.requests += d;
    caches.set(`${name}\u0000${layer}`, c);
  }
  return {
    caches: [...caches.values()].map((c) => ({
      name: c.name,
      layer: c.layer,
      requests: c.requests,
      hitRatio: c.hit + c.miss > 0 ? c.hit / (c.hit + c.miss) : null,
    })),
  };
}

function breakerGroup(cur: MetricSnapshot): Frame['breakers'] {
  const pts = points(cur, S.breakerState);
  if (pts.length === 0) return undefined;
  const out = new Map<string, string>();
  for (const p of pts) {
    const name = String(p.attributes[A.breakerName] ?? '');
    if ((p.value ?? 0) > 0) out.set(name, String(p.attributes[A.breakerState]));
    else if (!out.has(name)) out.set(name, 'unknown');
  }
  return [...out].map(([name, state]) => ({ name, state })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds the frame of one interval from two consecutive cumulative snapshots. */
export function buildFrame(
  cur: MetricSnapshot,
  prev: MetricSnapshot | undefined,
  extra: Pick<Frame, 'health' | 'alerts'> = {},
  maxRoutes = 20,
): Frame {
  const intervalS = prev ? Math.max(0.001, (cur.time - prev.time) / 1000) : 1;
  const frame: Frame = { t: cur.time, intervalS };
  const http = httpGroup(cur, prev, intervalS, maxRoutes);
  if (http) frame.http = http;
  const runtime = runtimeGroup(cur);
  if (runtime) frame.runtime = runtime;
  const db = dbGroup(cur, prev);
  if (db) frame.db = db;
  const cache = cacheGroup(cur, prev);
  if (cache) frame.cache = cache;
  const breakers = breakerGroup(cur);
  if (breakers) frame.breakers = breakers;
  if (extra.health) frame.health = extra.health;
  if (extra.alerts) frame.alerts = extra.alerts;
  return frame;
}

/** A frame with only the groups asked for (`t` and `intervalS` always). */
export function pickGroups(frame: Frame, groups: ReadonlySet<string> | undefined): Partial<Frame> {
  if (!groups) return frame;
  const out: Record<string, unknown> = { t: frame.t, intervalS: frame.intervalS };
  for (const g of groups) if (g in frame) out[g] = frame[g as keyof Frame];
  return out as Partial<Frame>;
}
