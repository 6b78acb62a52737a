import { randomUUID } from 'node:crypto';
import type { Alert, AlertEvent, AlertLevel, AlertState } from './types.js';

/** What a rule reports about one series at one evaluation. */
export interface Observation {
  /** Counts the rule states open for the series (so rules skip the book for quiet series). */
  owner: { openStates: number };
  signal: string;
  /** The series key (signal id and attributes). */
  key: string;
  series: string;
  labels: () => Record<string, string>;
  value: number;
  baseline: number;
  score: number;
  level: AlertLevel;
  reason: string;
}

/** When a rule's alert moves on. */
export interface Timing {
  /** Condition held this long → firing. */
  forMs: number;
  /** Condition false this long → resolved. */
  resolveAfterMs: number;
  /** After firing, the same rule and series may not fire again for this long. */
  restMs: number;
}

/** An alert the book holds: the alert, its (rule, series) key, and whether its firing was notified. */
interface OpenAlert {
  alert: Alert;
  key: string;
  notified: boolean;
}

interface RuleState {
  owner: { openStates: number };
  since: number;
  clearSince: number;
  lastObserved: number;
  record: OpenAlert | undefined;
  dropped: boolean;
}

/** Which alerts `list()` returns. */
export type AlertFilter = 'all' | 'active' | 'pending' | 'firing' | 'resolved' | 'silenced';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The alert book: one state per (rule, series) whose condition holds or whose alert is open, and the
 * lifecycle pending → firing → resolved with acknowledge, silences, de-duplication (one open alert per rule
 * and series), a rest period and a rate limit on new alerts.
 */
export class AlertBook {
  private readonly states = new Map<string, RuleState>();
  private readonly open = new Map<string, OpenAlert>();
  private readonly resolved: Alert[] = [];
  private readonly silences = new Map<string, number>();
  private readonly rest = new Map<string, number>();
  private readonly recentFires: number[] = [];
  dropped = 0;
  private seq = 0;
  fired = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly maxPerMinute: number,
    private readonly historySize: number,
    private readonly notify: (alert: Alert, event: AlertEvent) => void,
  ) {}

  /** Whether a (rule, series) has a condition in progress or an open alert. */
  has(rule: string, seriesKey: string): boolean {
    return this.states.size > 0 && this.states.has(`${rule}\u0003${seriesKey}`);
  }

  /** Records a rule's verdict on one series at time `now`. */
  observe(rule: string, condition: boolean, o: Observation, t: Timing, now: number): void {
    const stateKey = `${rule}\u0003${o.key}`;
    let st = this.states.get(stateKey);
    if (!condition) {
      if (!st) return;
      st.lastObserved = this.seq;
      const rec = st.record;
      if (!rec || rec.alert.state === 'pending') {
        if (rec) this.open.delete(rec.alert.id);
        this.drop(stateKey, st);
        return;
      }
      rec.alert.value = o.value;
      rec.alert.score = o.score;
      if (Number.isNaN(st.clearSince)) st.clearSince = now;
      if (now - st.clearSince >= t.resolveAfterMs) {
        this.resolve(rec, now);
        this.drop(stateKey, st);
      }
      return;
    }
    if (!st) {
      const restUntil = this.rest.get(stateKey);
      if (restUntil !== undefined) {
        if (now < restUntil) return;
        this.rest.delete(stateKey);
      }
      st = {
        owner: o.owner,
        since: now,
        clearSince: Number.NaN,
        lastObserved: this.seq,
        record: undefined,
        dropped: false,
      };
      this.states.set(stateKey, st);
      o.owner.openStates++;
    }
    st.lastObserved = this.seq;
    st.clearSince = Number.NaN;
    let rec = st.record;
    if (!rec) {
      const alert: Alert = {
        id: randomUUID(),
        rule,
        signal: o.signal,
        series: o.series,
        labels: o.labels(),
        value: o.value,
        baseline: o.baseline,
        score: o.score,
        level: o.level,
        reason: o.reason,
        state: 'pending',
        startsAt: iso(st.since),
        acknowledged: false,
      };
      rec = { alert, key: stateKey, notified: false };
      st.record = rec;
      this.open.set(alert.id, rec);
    } else {
      const a = rec.alert;
      a.value = o.value;
      a.baseline = o.baseline;
      a.score = o.score;
      a.reason = o.reason;
      if (rank(o.level) > rank(a.level)) a.level = o.level;
    }
    if (rec.alert.state === 'pending' && now - st.since >= t.forMs) {
      if (!this.allowFire(now)) {
        if (!st.dropped) this.dropped++;
        st.dropped = true;
        return;
      }
      rec.alert.state = 'firing';
      rec.alert.firedAt = iso(now);
      if (t.restMs > 0) this.rest.set(stateKey, now + t.restMs);
      const fk = `${rule}\u0003${rec.alert.level}`;
      this.fired.set(fk, (this.fired.get(fk) ?? 0) + 1);
      const until = this.silences.get(stateKey);
      if (until !== undefined && until > now) rec.alert.silencedUntil = iso(until);
      else this.send(rec, 'firing');
    }
  }

  private allowFire(now: number): boolean {
    while (this.recentFires.length > 0 && (this.recentFires[0] as number) <= now - 60_000)
      this.recentFires.shift();
    if (this.recentFires.length >= this.maxPerMinute) return false;
    this.recentFires.push(now);
    return true;
  }

  private send(rec: OpenAlert, event: AlertEvent): void {
    rec.notified = event === 'firing';
    this.notify(copy(rec.alert), event);
  }

  private resolve(rec: OpenAlert, now: number, reason?: string): void {
    rec.alert.state = 'resolved';
    rec.alert.endsAt = iso(now);
    if (reason) rec.alert.reason = reason;
    this.open.delete(rec.alert.id);
    this.resolved.push(rec.alert);
    if (this.resolved.length > this.historySize) this.resolved.shift();
    if (rec.notified) this.send(rec, 'resolved');
  }

  /**
   * Housekeeping after each evaluation: silences that ran out (a still-firing alert is notified again), and
   * alerts whose series went unreported for `staleEvaluations` evaluations (resolved).
   */
  tick(now: number, staleEvaluations: number): void {
    for (const [key, until] of this.silences) {
      if (until > now) continue;
      this.silences.delete(key);
      const rec = this.states.get(key)?.record;
      if (rec && rec.alert.state === 'firing') {
        rec.alert.silencedUntil = undefined;
        this.send(rec, 'firing');
      }
    }
    for (const [key, until] of this.rest) if (until <= now) this.rest.delete(key);
    for (const [key, st] of this.states) {
      if (this.seq - st.lastObserved < staleEvaluations) continue;
      if (st.record) {
        if (st.record.alert.state === 'firing')
          this.resolve(st.record, now, `${st.record.alert.reason} (series no longer reported)`);
        else this.open.delete(st.record.alert.id);
      }
      this.drop(key, st);
    }
    this.seq++;
  }

  /** Drops the states of series the processor stopped watching (open alerts resolve). */
  forget(seriesKey: string, now: number): void {
    for (const [key, st] of this.states) {
      if (!key.endsWith(`\u0003${seriesKey}`)) continue;
      if (st.record?.alert.state === 'firing')
        this.resolve(st.record, now, `${st.record.alert.reason} (series evicted)`);
      else if (st.record) this.open.delete(st.record.alert.id);
      this.drop(key, st);
    }
  }

  private drop(key: string, st: RuleState): void {
    this.states.delete(key);
    st.owner.openStates--;
  }

  /** Firing, not silenced: what health and the dashboard count. */
  active(now = this.now()): Alert[] {
    const out: Alert[] = [];
    for (const rec of this.open.values()) if (isActive(rec, this.silences, now)) out.push(copy(rec.alert));
    return out;
  }

  list(filter: AlertFilter = 'all', now = this.now()): Alert[] {
    const out: Alert[] = [];
    const want = (s: AlertState) => filter === 'all' || filter === s;
    for (const rec of this.open.values()) {
      const silenced = isSilenced(rec, this.silences, now);
      if (
        (filter === 'active' && rec.alert.state === 'firing' && !silenced) ||
        (filter === 'silenced' && silenced) ||
        (filter !== 'active' && filter !== 'silenced' && want(rec.alert.state))
      )
        out.push(copy(rec.alert));
    }
    if (want('resolved'))
      for (let i = this.resolved.length - 1; i >= 0; i--) out.push(copy(this.resolved[i] as Alert));
    return out;
  }

  /** Marks an open alert acknowledged; false when no open alert has this id. */
  acknowledge(id: string, now = this.now()): Alert | undefined {
    const rec = this.open.get(id);
    if (!rec) return undefined;
    rec.alert.acknowledged = true;
    rec.alert.acknowledgedAt ??= iso(now);
    return copy(rec.alert);
  }

  /**
   * Silences an open alert's rule and series until `untilMs`: no notification, not active; when the silence
   * ends and the alert still fires, it is notified again.
   */
  silence(id: string, untilMs: number): Alert | undefined {
    const rec = this.open.get(id);
    if (!rec) return undefined;
    this.silences.set(rec.key, untilMs);
    rec.alert.silencedUntil = iso(untilMs);
    return copy(rec.alert);
  }

  get(id: string): Alert | undefined {
    const rec = this.open.get(id);
    if (rec) return copy(rec.alert);
    const r = this.resolved.find((a) => a.id === id);
    return r ? copy(r) : undefined;
  }

  /** Firing, not silenced alerts by level. */
  countsByLevel(now = this.now()): Record<AlertLevel, number> {
    const c: Record<AlertLevel, number> = { info: 0, warning: 0, critical: 0 };
    for (const rec of this.open.values()) if (isActive(rec, this.silences, now)) c[rec.alert.level]++;
    return c;
  }
}

const RANK: Record<AlertLevel, number> = { info: 0, warning: 1, critical: 2 };
const rank = (l: AlertLevel) => RANK[l];

function isSilenced(rec: OpenAlert, silences: Map<string, number>, now: number): boolean {
  const until = silences.get(rec.key);
  return until !== undefined && until > now;
}

function isActive(rec: OpenAlert, silences: Map<string, number>, now: number): boolean {
  return rec.alert.state === 'firing' && !isSilenced(rec, silences, now);
}

function copy(a: Alert): Alert {
  return { ...a, labels: { ...a.labels } };
}
