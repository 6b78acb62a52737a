import { spawnSync } from 'node:child_process';
import { requireBinary, SERVER_BINARIES } from './binaries.js';

/** One series of an instant-query result. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The Prometheus HTTP API's answer to an instant query (`/api/v1/query`). */
export interface PromQueryResponse {
  status: 'success' | 'error';
  data?: { resultType: 'vector' | 'matrix' | 'scalar' | 'string'; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** Grafana's interval variables, which Prometheus does not know, replaced for a query outside Grafana. */
const GRAFANA_VARIABLES: readonly [RegExp, string][] = [
  [/\$__rate_interval\b/g, '1m'],
  [/\$__interval\b/g, '1m'],
  [/\$__range\b/g, '5m'],
];

/**
 * Runs `expr` as an instant query against the Prometheus at `baseUrl` (e.g. `http://127.0.0.1:9090`) and
 * returns the API's JSON answer as it is, errors included (`status: 'error'` with `error`), so callers can
 * assert on it. Grafana's `$__rate_interval`, `$__interval` and `$__range` are replaced by fixed windows.
 * @example
 *   const r = await queryPrometheus(url, 'sum(rate(http_server_request_duration_seconds_count[1m]))');
 *   expect(r.status).toBe('success');
 */
export async function queryPrometheus(baseUrl: string, expr: string): Promise<PromQueryResponse> {
  let query = expr;
  for (const [pattern, value] of GRAFANA_VARIABLES) query = query.replace(pattern, value);
  const res = await fetch(`${baseUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as PromQueryResponse;
}

/** The vector result of `expr`; throws with Prometheus' error when the query fails or is not a vector. */
export async function queryVector(baseUrl: string, expr: string): Promise<PromSample[]> {
  const r = await queryPrometheus(baseUrl, expr);
  if (r.status !== 'success' || r.data?.resultType !== 'vector') {
    throw new Error(`query failed: ${expr}: ${r.errorType ?? ''} ${r.error ?? JSON.stringify(r.data)}`);
  }
  return r.data.result as PromSample[];
}

/** The value of a one-series vector result, or undefined when the result is empty. */
export async function queryScalar(baseUrl: string, expr: string): Promise<number | undefined> {
  const v = await queryVector(baseUrl, expr);
  if (v.length > 1) throw new Error(`expected at most one series from ${expr}, got ${JSON.stringify(v)}`);
  return v[0] ? Number(v[0].value[1]) : undefined;
}

/** The result of `promtool check metrics` on an exposition: its exit code and what it printed. */
export interface CheckMetricsResult {
  status: number | null;
  output: string;
}

/** Lints a text exposition with `promtool check metrics` (exit code 0 = no problems). */
export function promtoolCheckMetrics(exposition: string): CheckMetricsResult {
  const r = spawnSync(requireBinary(SERVER_BINARIES.promtool), ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
