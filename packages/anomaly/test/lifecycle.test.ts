import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERT_CHANNEL, type AlertMessage } from '../src/index.js';
import { collection, gauge, harness, ONLY } from './synthetic.js';

const HEAP = 'v8js.memory.heap.used';
/** One user rule per series: `pods.ready < 1` on pods.ready{pod}. */
const config = (extra = {}) => ({
  signals: [{ id: 'pods.ready', metric: 'pods.ready', stat: 'value' as const, groupBy: ['pod'] }],
  rules: ONLY,
  thresholds: [
    { name: 'podDown', signal: 'pods.ready', op: 'lt' as const, value: 1, level: 'critical' as const },
  ],
  ...extra,
});
const pods = (values: Record<string, number>) => (now: number) =>
  collection(
    gauge(
      'pods.ready',
      Object.entries(values).map(([pod, v]) => [{ pod }, v]),
      now,
    ),
  );

afterEach(() => diag.disable());

describe('alert lifecycle', () => {
  it('de-duplicates: one alert per rule and series while the condition holds', () => {
    const h = harness(config(), 15_000);
    for (let i = 0; i < 10; i++) h.step(pods({ a: 0 }));
    expect(h.events.map((e) => e.event)).toEqual(['firing']);
    expect(h.processor.activeAlerts()).toHaveLength(1);
    h.step(pods({ a: 1 }));
    h.step(pods({ a: 0 }));
    // A new incident after the resolution is a new alert with a new id.
    expect(h.events.map((e) => e.event)).toEqual(['firing', 'resolved', 'firing']);
    expect(h.events[2]?.alert.id).not.toBe(h.events[0]?.alert.id);
    expect(h.processor.alerts('resolved').map((a) => a.id)).toEqual([h.events[0]?.alert.id]);
  });

  it('acknowledge keeps the alert active and marked; unknown ids answer undefined', () => {
    const h = harness(config(), 15_000);
    h.step(pods({ a: 0 }));
    const id = h.processor.activeAlerts()[0]?.id as string;
    expect(h.processor.acknowledge('nope')).toBeUndefined();
    const acked = h.processor.acknowledge(id);
    expect(acked).toMatchObject({
      id,
      acknowledged: true,
      acknowledgedAt: new Date(h.time() + Date.UTC(2026, 0, 1)).toISOString(),
    });
    h.step(pods({ a: 0 }));
    expect(h.processor.activeAlerts()).toMatchObject([{ id, acknowledged: true, state: 'firing' }]);
    expect(h.events.map((e) => e.event)).toEqual(['firing']);
  });

  it('silence: not active and not notified until it ends; a still-firing alert is notified again then', () => {
    const h = harness(config(), 15_000);
    h.step(pods({ a: 0 }));
    const id = h.processor.activeAlerts()[0]?.id as string;
    const t0 = Date.UTC(2026, 0, 1);
    expect(h.processor.silence(id, t0 + h.time() + 60_000)?.silencedUntil).toBe(
      new Date(t0 + 75_000).toISOString(),
    );
    expect(h.processor.activeAlerts()).toEqual([]);
    expect(h.processor.alerts('silenced').map((a) => a.id)).toEqual([id]);
    for (let i = 0; i < 3; i++) h.step(pods({ a: 0 })); // t = 30, 45, 60 s
    expect(h.processor.activeAlerts()).toEqual([]);
    h.step(pods({ a: 0 })); // t = 75 s: the silence ends
    expect(h.events.map((e) => [e.event, e.at])).toEqual([
      ['firing', 15_000],
      ['firing', 75_000],
    ]);
    expect(h.processor.activeAlerts().map((a) => a.id)).toEqual([id]);
  });

  it('a silence covers the rule and series: a new alert for it while silenced is not notified', () => {
    const h = harness(config(), 15_000);
    h.step(pods({ a: 0 }));
    const id = h.processor.activeAlerts()[0]?.id as string;
    h.processor.silence(id, Date.UTC(2026, 0, 1) + 10 * 60_000);
    h.step(pods({ a: 1 })); // resolves (silenced: a resolution nobody was told about is still sent, it was notified)
    h.step(pods({ a: 0 })); // new alert, silenced
    h.step(pods({ b: 0, a: 0 })); // another series is not silenced
    expect(h.events.map((e) => [e.event, e.alert.labels.pod])).toEqual([
      ['firing', 'a'],
      ['resolved', 'a'],
      ['firing', 'b'],
    ]);
    expect(h.processor.activeAlerts().map((a) => a.labels.pod)).toEqual(['b']);
  });

  it('rate limit: at most maxAlertsPerMinute new alerts per minute; the rest are counted and fire later', () => {
    const h = harness(config({ maxAlertsPerMinute: 3 }), 15_000);
    const all = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((p) => [p, 0]));
    h.step(pods(all));
    expect(h.events.map((e) => e.alert.labels.pod)).toEqual(['a', 'b', 'c']);
    expect(h.processor.alertStats().dropped).toBe(2);
    h.step(pods(all)); // t = 30 s: the minute is not over, nothing new and nothing counted twice
    expect(h.events).toHaveLength(3);
    expect(h.processor.alertStats().dropped).toBe(2);
    for (let i = 0; i < 3; i++) h.step(pods(all)); // t = 75 s: a minute after the first three
    expect(h.events.map((e) => [e.alert.labels.pod, e.at])).toEqual([
      ['a', 15_000],
      ['b', 15_000],
      ['c', 15_000],
      ['d', 75_000],
      ['e', 75_000],
    ]);
  });

  it('an alert whose series stops being reported resolves after 10 evaluations', () => {
    const h = harness(config(), 15_000);
    h.step(pods({ a: 0 }));
    for (let i = 0; i < 9; i++) h.step(pods({}));
    expect(h.processor.activeAlerts()).toHaveLength(1);
    h.step(pods({}));
    expect(h.events.map((e) => e.event)).toEqual(['firing', 'resolved']);
    expect(h.events[1]?.alert.reason).toMatch(/series no longer reported/);
  });

  it('a throwing or rejecting onAlert never breaks the pipeline; errors go to diag', () => {
    const errors: unknown[][] = [];
    diag.setLogger(
      {
        error: (...a: unknown[]) => errors.push(a),
        warn() {},
        info() {},
        debug() {},
        verbose() {},
      } as DiagLogger,
      DiagLogLevel.ERROR,
    );
    const h = harness(config(), 15_000);
    const seen: string[] = [];
    h.processor.onAlert(() => {
      throw new Error('boom');
    });
    h.processor.onAlert(() => Promise.reject(new Error('async boom')));
    h.processor.onAlert((a, e) => {
      seen.push(`${e}:${a.labels.pod}`);
    });
    expect(() => h.step(pods({ a: 0 }))).not.toThrow();
    h.step(pods({ a: 1 }));
    expect(seen).toEqual(['firing:a', 'resolved:a']);
    expect(h.events.map((e) => e.event)).toEqual(['firing', 'resolved']);
    expect(errors.some((e) => String(e[0]).includes('anomaly onAlert callback threw'))).toBe(true);
  });

  it('callbacks get copies: changing one changes nothing', () => {
    const h = harness(config(), 15_000);
    h.processor.onAlert((a) => {
      a.level = 'info';
      a.labels.pod = 'changed';
    });
    h.step(pods({ a: 0 }));
    expect(h.processor.activeAlerts()[0]).toMatchObject({ level: 'critical', labels: { pod: 'a' } });
  });

  it(`publishes transitions on diagnostics_channel "${ALERT_CHANNEL}"`, () => {
    const got: AlertMessage[] = [];
    const fn = (m: unknown) => got.push(m as AlertMessage);
    subscribe(ALERT_CHANNEL, fn);
    try {
      const h = harness(config(), 15_000);
      h.step(pods({ a: 0 }));
      h.step(pods({ a: 5 }));
    } finally {
      unsubscribe(ALERT_CHANNEL, fn);
    }
    expect(got.map((m) => [m.event, m.alert.rule, m.alert.value])).toEqual([
      ['firing', 'podDown', 0],
      ['resolved', 'podDown', 5],
    ]);
  });

  it('the series table is bounded: least recently seen series go first, and their open alerts resolve', () => {
    const h = harness(config({ maxSeries: 8 }), 15_000);
    h.step(pods({ old: 0 }));
    for (let i = 0; i < 8; i++) h.step(pods(Object.fromEntries([`p${i}`].map((p) => [p, 1]))));
    const st = h.processor.seriesStats();
    expect(st.watched).toBeLessThanOrEqual(8);
    expect(st.evicted).toBeGreaterThanOrEqual(1);
    expect(h.events.map((e) => [e.event, e.alert.labels.pod])).toEqual([
      ['firing', 'old'],
      ['resolved', 'old'],
    ]);
    expect(h.events[1]?.alert.reason).toMatch(/series evicted/);
  });

  it('heap used is one series for the whole process (summed over heap spaces)', () => {
    const h = harness(
      { rules: ONLY, thresholds: [{ name: 'big', signal: HEAP, op: 'gt', value: 100 }] },
      15_000,
    );
    h.step((now) =>
      collection(
        gauge(
          HEAP,
          [
            [{ 'v8js.heap.space.name': 'new' }, 60],
            [{ 'v8js.heap.space.name': 'old' }, 60],
          ],
          now,
        ),
      ),
    );
    expect(h.processor.activeAlerts()).toMatchObject([{ rule: 'big', value: 120, labels: {}, series: HEAP }]);
  });
});
