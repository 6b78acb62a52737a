/**
 * Cache layers: hit ratio per cache and layer, gets by result, the path requests take through the tiers,
 * operation latency per layer, evictions by cause, entries and bytes held.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { build, labelVariable, newDashboard } from '../dashboard.ts';
import { CACHE, label } from '../metrics.ts';
import { q, statPanel, steps, timeseriesPanel } from '../panels.ts';
import { orZero, quantile, ratio, series, sumOf, sumRate } from '../query.ts';

const NAME = label('cache.name');
const LAYER = label('cache.layer');
const RESULT = label('cache.result');
const OPERATION = label('cache.operation');
const CAUSE = label('cache.eviction.cause');
const PATH = label('cache.path');
const CACHES = `${NAME}=~"$cache"`;
const LAYERS = `${LAYER}=~"$layer"`;
const HITS = `${RESULT}=~"hit|stale_hit"`;
/** Errors are neither hits nor misses: the hit ratio is over the gets that got an answer. */
const ANSWERED = `${RESULT}=~"hit|stale_hit|miss"`;

const requests = (by: string[], ...m: string[]) => sumRate(series(CACHE.requests, CACHES, ...m), by);
const ERROR_TYPE = label('error.type');
const LOAD_RESULT = label('cache.load.result');

const gets = (by: string[], ...m: string[]) => sumRate(series(CACHE.gets, CACHES, LAYERS, ...m), by);
const hitRatio = (by: string[]) => ratio(gets(by, HITS), gets(by, ANSWERED));

export function cacheDashboard(): Dashboard {
  const { builder, layout } = newDashboard({
    uid: 'otel-perf-cache',
    title: 'otel-perf / Cache layers',
    description:
      'Cache layers (cache.*): hit ratio per cache and layer, results, request paths through L1/L2/origin, latency per layer and operation, evictions, size.',
    tags: ['cache', 'redis'],
    variables: [
      labelVariable('cache', 'Cache', series(CACHE.gets), NAME),
      labelVariable('layer', 'Layer', series(CACHE.gets, CACHES), LAYER),
    ],
  });

  layout
    .row('Hits and misses')
    .panel(
      statPanel({
        title: 'Hit ratio',
        description: 'Hits (fresh and stale) over hits and misses, every selected cache and layer.',
        unit: 'percentunit',
        query: q(hitRatio([])),
        thresholds: steps('red', [0.5, 'orange'], [0.8, 'green']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Gets',
        description: 'Cache gets per second, every result.',
        unit: 'ops',
        query: q(gets([])),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Errors',
        description: 'Gets per second that failed (cache.result=error: a Redis timeout, a lost connection).',
        unit: 'ops',
        query: q(orZero(gets([], `${RESULT}="error"`))),
        thresholds: steps('green', [0.001, 'red']),
      }),
      6,
      4,
    )
    .panel(
      statPanel({
        title: 'Evictions',
        description: 'Entries evicted per second, every cause.',
        unit: 'ops',
        query: q(orZero(sumRate(series(CACHE.evictions, CACHES, LAYERS)))),
      }),
      6,
      4,
    )
    .panel(
      timeseriesPanel({
        title: 'Hit ratio by cache and layer',
        description:
          'Per layer: a low L1 ratio with a high L2 ratio means L1 is too small or its TTL too short.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(hitRatio([NAME, LAYER]), `{{${NAME}}} {{${LAYER}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Gets by result',
        description: 'Gets per second by cache.result: hit, stale_hit, miss, error.',
        unit: 'ops',
        stack: true,
        queries: [q(gets([LAYER, RESULT]), `{{${LAYER}}} {{${RESULT}}}`)],
      }),
      12,
      8,
    )
    .row('Tiered requests and origin loads')
    .panel(
      timeseriesPanel({
        title: 'End-to-end hit ratio',
        description:
          'Share of tiered-cache requests answered by a cache layer (cache.path l1_hit or l2_hit) rather than the origin.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [q(ratio(requests([NAME], `${PATH}=~"l1_hit|l2_hit"`), requests([NAME])), `{{${NAME}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Request paths through the tiers',
        description:
          'Tiered-cache requests per second by cache.path: l1_hit, l2_hit (L1 missed), origin (every layer missed), error (the load failed), miss (no loader).',
        unit: 'reqps',
        stack: true,
        queries: [q(requests([NAME, PATH]), `{{${NAME}}} {{${PATH}}}`)],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Origin loads',
        description:
          'Origin loads per second by result, and the loads saved by single-flight (concurrent misses of one key waiting for one load).',
        unit: 'ops',
        queries: [
          q(sumRate(series(CACHE.loads, CACHES), [NAME, LOAD_RESULT]), `{{${NAME}}} {{${LOAD_RESULT}}}`),
          q(sumRate(series(CACHE.loadsDeduplicated, CACHES), [NAME]), `{{${NAME}}} deduplicated`),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Origin load p50 / p99',
        description: 'Duration of origin loads (cache.load.duration): what a miss in every layer costs.',
        unit: 's',
        min: 0,
        queries: [
          q(quantile(0.5, CACHE.loadDuration, [NAME], [CACHES]), `{{${NAME}}} p50`),
          q(quantile(0.99, CACHE.loadDuration, [NAME], [CACHES]), `{{${NAME}}} p99`),
        ],
      }),
      12,
      8,
    )
    .row('Latency')
    .panel(
      timeseriesPanel({
        title: 'Operation p99 by layer',
        description:
          'p99 of cache.operation.duration per layer and operation: sub-millisecond for an in-process L1, milliseconds for Redis.',
        unit: 's',
        min: 0,
        queries: [
          q(
            quantile(0.99, CACHE.operationDuration, [LAYER, OPERATION], [CACHES, LAYERS]),
            `{{${LAYER}}} {{${OPERATION}}}`,
          ),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Operation p50 by layer',
        description: 'Median of cache.operation.duration per layer and operation.',
        unit: 's',
        min: 0,
        queries: [
          q(
            quantile(0.5, CACHE.operationDuration, [LAYER, OPERATION], [CACHES, LAYERS]),
            `{{${LAYER}}} {{${OPERATION}}}`,
          ),
        ],
      }),
      12,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Errors by operation and type',
        description:
          'Failed operations per second (cache.errors) by layer, operation and error.type: timeout, connection, serialization, too_large.',
        unit: 'ops',
        stack: true,
        queries: [
          q(
            sumRate(series(CACHE.errors, CACHES, LAYERS), [LAYER, OPERATION, ERROR_TYPE]),
            `{{${LAYER}}} {{${OPERATION}}} {{${ERROR_TYPE}}}`,
          ),
        ],
      }),
      24,
      8,
    )
    .row('Capacity')
    .panel(
      timeseriesPanel({
        title: 'Evictions by cause',
        description: 'Entries evicted per second by cache.eviction.cause (size, expired, delete, replaced).',
        unit: 'ops',
        stack: true,
        queries: [
          q(
            sumRate(series(CACHE.evictions, CACHES, LAYERS), [NAME, LAYER, CAUSE]),
            `{{${NAME}}} {{${LAYER}}} {{${CAUSE}}}`,
          ),
        ],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Entries',
        description: 'Entries held per cache and layer (cache.entries).',
        queries: [q(sumOf(series(CACHE.entries, CACHES, LAYERS), [NAME, LAYER]), `{{${NAME}}} {{${LAYER}}}`)],
      }),
      8,
      8,
    )
    .panel(
      timeseriesPanel({
        title: 'Size',
        description: 'Bytes held per cache and layer (cache.size), where the cache knows it.',
        unit: 'bytes',
        queries: [q(sumOf(series(CACHE.size, CACHES, LAYERS), [NAME, LAYER]), `{{${NAME}}} {{${LAYER}}}`)],
      }),
      8,
      8,
    );

  return build(builder);
}
