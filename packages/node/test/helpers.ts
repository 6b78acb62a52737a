import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type NodeProcess, runNode, waitFor } from '@otel-perf/test-utils';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** How the distro is loaded into a fixture app. */
export type Preload = 'require' | 'import' | 'none';

/**
 * Runs a fixture app as a real subprocess, with the distro preloaded through the built package
 * (`@otel-perf/node/register`, resolved like a user's install). The metrics server gets a port from the
 * OS and prints its URL.
 */
export function runApp(
  script: string,
  {
    preload = 'require',
    env = {},
    timeoutMs,
  }: { preload?: Preload; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): NodeProcess {
  const args =
    preload === 'none' ? [] : [preload === 'require' ? '--require' : '--import', '@otel-perf/node/register'];
  return runNode([...args, join(FIXTURES, script)], {
    cwd: FIXTURES,
    timeoutMs,
    env: {
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_PERF_PRINT_ENDPOINTS: 'true',
      ...env,
    },
  });
}

/** The port the fixture app printed. */
export async function appPort(p: NodeProcess): Promise<number> {
  const m = await p.waitForOutput(/listening (\d+)/);
  return Number(m[1]);
}

/** The metrics server URL the distro printed on stderr. */
export async function metricsUrl(p: NodeProcess): Promise<string> {
  const m = await waitFor(() => p.stderr().match(/metrics server listening on (http:\/\/\S+)/), {
    what: `the metrics server notice on stderr (stderr so far: ${p.stderr()})`,
  });
  return m[1] as string;
}

/** A GET without keep-alive. */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One sample of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (enough for our exporter's output). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const v = m[3] as string;
    samples.push({
      name: m[1] as string,
      labels,
      value: v === '+Inf' ? Number.POSITIVE_INFINITY : Number(v),
    });
  }
  return samples;
}

/** A port nobody listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends `n` GETs to the app, one after another. */
export async function sendRequests(port: number, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const res = await httpGet(`http://127.0.0.1:${port}${path}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  }
}
