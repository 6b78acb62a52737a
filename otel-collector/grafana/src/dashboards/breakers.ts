/**
 * Circuit breakers: the state of every breaker over time (and transitions, which catch an OPEN shorter than a
 * scrape), calls by outcome, failure and rejection ratios, the window ratios the breaker decides on, call
 * durations, fallbacks, time spent open and each breaker's configuration.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, labelVariable, newDashboard } from '../dashboard.ts';
import { BREAKER, label } from '../metrics.ts';
import {
  q,
  stateTimelinePanel,
  statPanel,
  steps,
  tablePanel,
  timeseriesPanel,
  valueText,
} from '../panels.ts';
import { orZero, quantile, RANGE, ratio, series, sumIncrease, sumOf, sumRate } from '../query.ts';

const NAME = label('circuit_breaker.name');
const STATE = label('circuit_breaker.state');
const TO = label('circuit_breaker.state_to');
const FROM = label('circuit_breaker.state_from');
const OUTCOME = label('circuit_breaker.call.outcome');
const NAMES = `${NAME}=~"$breaker"`;

/**
 * One number per breaker for the state timeline: each state's series (1 for the current state, 0 for the
 * others) times its code, the largest kept. A breaker that is gone reads 0 in every state, so 0.
 */
const STATE_CODES = [
  ['closed', 1, 'green'],
  ['disabled', 2, 'blue'],
  ['half_open', 3, 'orange'],
  ['open', 4, 'red'],
  ['forced_open', 5, 'purple'],
] as const;

function stateCode(): string {
  const parts = STATE_CODES.map(
    ([state, code]) => `${series(BREAKER.state, NAMES, `${STATE}="${state}"`)} * ${code}`,
  );
  return `max by (${NAME}) (${parts.join(' or ')})`;
}

/** The attributes of `circuit_breaker.config` worth a column. */
const CONFIG = [
  'circuit_breaker.library',
  'circuit_breaker.config.failure_ratio_threshold',
  'circuit_breaker.config.consecutive_failures_threshold',
  'circuit_breaker.config.minimum_calls',
  'circuit_breaker.config.window_type',
  'circuit_breaker.config.window_size',
  'circuit_breaker.config.reset_timeout',
  'circuit_breaker.config.call_timeout',
  'circuit_breaker.config.slow_call_threshold',
].map(label);

const calls = (by: string[], ...m: string[]) => sumRate(series(BREAKER.calls, NAMES, ...m), by);

export function breakersDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-breakers',
    title: 'otel-perf / Circuit breakers',
    description:
      'Circuit breakers (circuit_breaker.*) for opossum, cockatiel and home-made breakers: state, transitions, calls by outcome, ratios, durations, fallbacks, configuration.',
    tags: ['circuit-breaker', 'resilience'],
    variables: [labelVariable('breaker', 'Breaker', series(BREAKER.calls), NAME)],
  });

  layout
    .row('State')
    .panel(
      statPanel({
        title: 'Breakers open',
        description: 'Breakers open or forced open now.',
        query: q(orZero(sumOf(series(BREAKER.state, NAMES, `${STATE}=~"open|forced_open"`)))),
        thresholds: steps('green', [1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Openings',
        description:
          'Transitions into open over the time range; counted when they happen, so an open shorter than a scrape shows here.',
        query: q(
          orZero(sumIncrease(series(BREAKER.transitions, NAMES, `${TO}="open"`), [], RANGE)),
          undefined,
          true,
        ),
        thresholds: steps('green', [1, 'orange']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Rejected calls',
        description: 'Calls refused without running (open, forced open, out of capacity), per second.',
        unit: 'ops',
        query: q(orZero(calls([], `${OUTCOME}="rejected"`))),
        thresholds: steps('green', [0.001, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Fallbacks',
        description: 'Calls answered by a fallback, per second.',
        unit: 'ops',
        query: q(orZero(sumRate(series(BREAKER.fallbacks, NAMES)))),
      }),
      6,
      4,
    )
    .panel(
      stateTimelinePanel({
        title: 'State by breaker',
        description: 'Each breaker’s state over time; “gone” once a breaker is disposed or shut down.',
        queries: [q(stateCode(), `{{${NAME}}}`)],
        mappings: valueText({
          '0': ['gone', 'text'],
          ...Object.fromEntries(STATE_CODES.map(([state, code, color]) => [String(code), [state, color]])),
        }),
      }),
      16,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Transitions',
        description: 'State changes per interval, by the state left and the state entered.',
        bars: true,
        queries: [
          q(
            sumIncrease(series(BREAKER.transitions, NAMES), [NAME, FROM, TO]),
            `{{${NAME}}} {{${FROM}}} → {{${TO}}}`,
          ),
        ],
      }),
      8,
      8,
    )
    .row('Calls')
    .panel(
      timeseriesPanel({
        title: 'Calls by outcome',
        description:
          'Calls per second by outcome: success, failure, timeout, rejected, ignored. One outcome a call.',
        unit: 'ops',
        stack: true,
        queries: [q(calls([NAME, OUTCOME]), `{{${NAME}}} {{${OUTCOME}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Failure and rejection ratio',
        description:
          'Failed or timed-out share of the calls that ran, and rejected share of every call, per breaker.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [
          q(
            ratio(calls([NAME], `${OUTCOME}=~"failure|timeout"`), calls([NAME], `${OUTCOME}!="rejected"`)),
            `{{${NAME}}} failed`,
          ),
          q(ratio(calls([NAME], `${OUTCOME}="rejected"`), calls([NAME])), `{{${NAME}}} rejected`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Window ratios (as the breaker decides)',
        description:
          'circuit_breaker.window.failure_ratio and slow_call_ratio: the breaker’s own numbers, 0 until the window holds its minimum calls.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [
          q(sumOf(series(BREAKER.windowFailureRatio, NAMES), [NAME]), `{{${NAME}}} failure`),
          q(sumOf(series(BREAKER.windowSlowCallRatio, NAMES), [NAME]), `{{${NAME}}} slow`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Calls in the window',
        description:
          'Calls the breaker’s window holds now (the ratios mean something once past the minimum).',
        queries: [q(sumOf(series(BREAKER.windowCalls, NAMES), [NAME]), `{{${NAME}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Call duration p50 / p99',
        description: 'Duration of the calls that ran, by breaker (rejected calls are not recorded).',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, BREAKER.callDuration, [NAME], [NAMES]), `{{${NAME}}} p50`),
          q(quantile(0.99, BREAKER.callDuration, [NAME], [NAMES]), `{{${NAME}}} p99`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Fallbacks by cause',
        description: 'Calls answered by a fallback per second, by the outcome the fallback answered.',
        unit: 'ops',
        stack: true,
        queries: [
          q(sumRate(series(BREAKER.fallbacks, NAMES), [NAME, OUTCOME]), `{{${NAME}}} {{${OUTCOME}}}`),
        ],
      }),
      12,
      8,
    )
    .row('Time open and configuration')
    .panel(
      timeseriesPanel({
        title: 'Share of time open',
        description:
          'rate(circuit_breaker.open.time): the share of each interval the breaker spent open or forced open.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(sumRate(series(BREAKER.openTime, NAMES), [NAME]), `{{${NAME}}}`)],
      }),
      10,
      8,
    )
    .panel(
      tablePanel({
        title: 'Configuration',
        description:
          'Each breaker’s library, thresholds, window and timeouts (circuit_breaker.config attributes).',
        queries: [q(`max by (${[NAME, ...CONFIG].join(', ')}) (${series(BREAKER.config, NAMES)})`)],
        columns: {
          [NAME]: 'breaker',
          ...Object.fromEntries(CONFIG.map((l) => [l, l.replace(/^circuit_breaker_(config_)?/, '')])),
        },
        hide: ['Value'],
      }),
      14,
      8,
    );

  return build(builder);
}
