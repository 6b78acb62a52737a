/**
 * Overview: RED per route (rate, 5xx ratio, duration), the latency heatmap and quantiles, requests in flight
 * and outbound HTTP. Everything comes from `http.server.request.duration`, which counts every request once.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, labelVariable, newDashboard } from '../dashboard.ts';
import { HTTP, label } from '../metrics.ts';
import { heatmapPanel, q, statPanel, steps, tablePanel, timeseriesPanel } from '../panels.ts';
import { count, heatmapBuckets, quantile, RANGE, ratio, series, sumOf, sumRate } from '../query.ts';

const ROUTE = label('http.route');
const METHOD = label('http.request.method');
const STATUS = label('http.response.status_code');
const SERVER = label('server.address');
const ERROR_TYPE = label('error.type');

const D = HTTP.serverDuration;
const ROUTES = `${ROUTE}=~"$route"`;
const ERRORS = `${STATUS}=~"5.."`;

/** Requests per second, by `by`. */
const reqRate = (by: string[] = [], ...m: string[]) => sumRate(count(D, ROUTES, ...m), by);
/** Share of requests answered 5xx, by `by`. */
const errorRatio = (by: string[] = []) => ratio(reqRate(by, ERRORS), reqRate(by));

export function overviewDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-overview',
    title: 'otel-perf / Overview',
    description:
      'RED per route from http.server.request.duration: request rate, 5xx ratio, latency heatmap and p50/p95/p99; requests in flight; outbound HTTP.',
    tags: ['http', 'red'],
    variables: [labelVariable('route', 'Route', count(D), ROUTE)],
  });

  layout
    .row('Service')
    .panel(
      statPanel({
        title: 'Requests',
        description: 'Inbound requests per second, all selected routes.',
        unit: 'reqps',
        query: q(reqRate()),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: '5xx ratio',
        description: 'Share of inbound requests answered with a 5xx status.',
        unit: 'percentunit',
        decimals: 2,
        query: q(errorRatio()),
        thresholds: steps('green', [0.01, 'orange'], [0.05, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'p99 latency',
        description: '99th percentile of inbound request duration, interpolated within the histogram bucket.',
        unit: 's',
        query: q(quantile(0.99, D, [], [ROUTES])),
        thresholds: steps('green', [0.5, 'orange'], [1, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'In flight',
        description: 'Inbound requests started and not finished (http.server.active_requests).',
        unit: 'short',
        query: q(sumOf(series(HTTP.serverActive))),
      }),
      6,
      4,
    )
    .row('Rate, errors, duration per route')
    .panel(
      timeseriesPanel({
        title: 'Request rate by route',
        description: 'Inbound requests per second by http.route (the route template, never the raw path).',
        unit: 'reqps',
        queries: [q(reqRate([ROUTE]), `{{${ROUTE}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: '5xx ratio by route',
        description: 'Share of each route’s requests answered with a 5xx status.',
        unit: 'percentunit',
        min: 0,
        queries: [q(errorRatio([ROUTE]), `{{${ROUTE}}}`)],
        thresholds: steps('transparent', [0.05, 'red']),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Latency p50 / p95 / p99',
        description: 'Quantiles of inbound request duration over every selected route.',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, D, [], [ROUTES]), 'p50'),
          q(quantile(0.95, D, [], [ROUTES]), 'p95'),
          q(quantile(0.99, D, [], [ROUTES]), 'p99'),
        ],
      }),
      12,
      8,
    )
    .panel(
      heatmapPanel({
        title: 'Latency heatmap',
        description:
          'Inbound requests per duration bucket (http_server_request_duration_seconds_bucket), as recorded: the boundaries are the HTTP bucket preset.',
        unit: 's',
        query: q(heatmapBuckets(D, ROUTES)),
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'p99 latency by route',
        description: '99th percentile of request duration per route.',
        unit: 's',
        min: 0,
        queries: [q(quantile(0.99, D, [ROUTE], [ROUTES]), `{{${ROUTE}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Responses by status code',
        description: 'Inbound requests per second by http.response.status_code.',
        unit: 'reqps',
        stack: true,
        queries: [q(reqRate([STATUS]), `{{${STATUS}}}`)],
      }),
      12,
      8,
    )
    .panel(
      tablePanel({
        title: 'Routes over the time range',
        description: 'Per route and method over the whole time range picked: rate, 5xx ratio, p95 and p99.',
        queries: [
          q(sumRate(count(D, ROUTES), [ROUTE, METHOD], RANGE)),
          q(
            ratio(
              sumRate(count(D, ROUTES, ERRORS), [ROUTE, METHOD], RANGE),
              sumRate(count(D, ROUTES), [ROUTE, METHOD], RANGE),
            ),
          ),
          q(quantile(0.95, D, [ROUTE, METHOD], [ROUTES], RANGE)),
          q(quantile(0.99, D, [ROUTE, METHOD], [ROUTES], RANGE)),
        ],
        columns: {
          [ROUTE]: 'route',
          [METHOD]: 'method',
          'Value #A': 'req/s',
          'Value #B': '5xx ratio',
          'Value #C': 'p95',
          'Value #D': 'p99',
        },
        columnUnits: { '5xx ratio': 'percentunit', p95: 's', p99: 's', 'req/s': 'reqps' },
      }),
      24,
      8,
    )
    .row('Concurrency and outbound HTTP')
    .panel(
      timeseriesPanel({
        title: 'Requests in flight by instance',
        description: 'Inbound requests started and not finished, per process.',
        queries: [q(sumOf(series(HTTP.serverActive), ['instance']), '{{instance}}')],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Outbound p95 by server',
        description:
          '95th percentile of outbound request duration (http.client.request.duration) per server.address.',
        unit: 's',
        min: 0,
        queries: [q(quantile(0.95, HTTP.clientDuration, [SERVER]), `{{${SERVER}}}`)],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Outbound failures by error type',
        description:
          'Outbound requests per second that failed (error.type: the status code for 4xx/5xx, the error code for a failed request, aborted).',
        unit: 'reqps',
        stack: true,
        queries: [
          q(
            sumRate(count(HTTP.clientDuration, `${ERROR_TYPE}!=""`), [SERVER, ERROR_TYPE]),
            `{{${SERVER}}} {{${ERROR_TYPE}}}`,
          ),
        ],
      }),
      8,
      8,
    );

  return build(builder);
}
