import { describe, expect, it } from 'vitest';
import { type AnomalyConfig, AnomalyProcessor } from '../src/index.js';

const bad: [string, AnomalyConfig, RegExp][] = [
  ['intervalMs', { intervalMs: 5 }, /intervalMs must be an integer from 100/],
  ['maxSeries', { maxSeries: 0 }, /maxSeries must be an integer from 1/],
  [
    'signal stat',
    { signals: [{ id: 'a', metric: 'a', stat: 'p42' as never }] },
    /signals\[0\]\.stat must be one of/,
  ],
  [
    'duplicate signal',
    {
      signals: [
        { id: 'a', metric: 'a', stat: 'value' },
        { id: 'a', metric: 'b', stat: 'value' },
      ],
    },
    /signals\[1\]\.id "a" is used twice/,
  ],
  [
    'ratio without numerator',
    { signals: [{ id: 'a', metric: 'a', stat: 'ratio' }] },
    /signals\[0\]\.numerator is required/,
  ],
  [
    'threshold level',
    { rules: { errorRate: { level: 'fatal' as never } } },
    /rules\.errorRate\.level must be info, warning or critical, got "fatal"/,
  ],
  [
    'threshold op',
    { thresholds: [{ name: 'x', signal: 'process.cpu.utilization', op: 'eq' as never, value: 1 }] },
    /thresholds\[0\]\.op must be gt, lt, gte or lte/,
  ],
  [
    'unknown signal',
    { thresholds: [{ name: 'x', signal: 'nope', op: 'gt', value: 1 }] },
    /thresholds\[0\]\.signal must be a watched signal id/,
  ],
  [
    'rule name clash',
    { thresholds: [{ name: 'cpu', signal: 'process.cpu.utilization', op: 'gt', value: 1 }] },
    /thresholds\[0\]\.name must be a name no other rule has/,
  ],
  [
    'anomaly critical',
    { rules: { anomaly: { warning: 0.8, critical: 0.5 } } },
    /rules\.anomaly\.critical must be a number from 0\.8 to 1/,
  ],
  [
    'leak window',
    { rules: { memoryLeak: { windowMs: 10 } } },
    /rules\.memoryLeak\.windowMs must be a number from 60000/,
  ],
  [
    'regression signals',
    { rules: { regression: { signals: ['nope'] } } },
    /rules\.regression\.signals must be a watched signal id/,
  ],
];

describe('configuration', () => {
  it.each(bad)('%s: throws at construction naming the key', (_what, config, message) => {
    expect(() => new AnomalyProcessor(config)).toThrow(message);
  });

  it('a rule set to true is on with its defaults', () => {
    expect(
      () => new AnomalyProcessor({ rules: { cpu: true, anomaly: true, memoryLeak: true } }),
    ).not.toThrow();
  });

  it('defaults: the documented signals and every built-in rule', () => {
    const p = new AnomalyProcessor();
    expect(p.signals.map((s) => s.id)).toEqual([
      'http.server.request.duration.p99',
      'http.server.error_ratio',
      'db.client.operation.duration.p99',
      'db.client.connection.wait_time.p99',
      'cache.hit_ratio',
      'circuit_breaker.open',
      'nodejs.eventloop.delay.p99',
      'v8js.memory.heap.used',
      'process.memory.usage',
      'process.cpu.utilization',
    ]);
    expect(p.intervalMs).toBe(15_000);
  });
});
