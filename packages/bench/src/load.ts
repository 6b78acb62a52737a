import { execFile } from 'node:child_process';

/** A `wrk` run against one URL. */
export interface LoadTestOptions {
  /** A loopback URL (`http://127.0.0.1:<port>/...`). */
  url: string;
  /** @default 50 */
  connections?: number;
  /** Rounded to whole seconds (wrk's unit), at least 1 s. @default 5000 */
  durationMs?: number;
  /**
   * wrk threads. One leaves the other core of a two-core machine to the server under test.
   * @default 1
   */
  threads?: number;
  /** wrk's per-request timeout, in seconds. @default 5 */
  timeoutS?: number;
  /**
   * Return the figures even when wrk counted socket errors or non-2xx/3xx responses.
   * @default false (such a run throws)
   */
  allowErrors?: boolean;
}

export interface LoadTestResult {
  requestsPerSec: number;
  /** 99th percentile latency (wrk `--latency`), milliseconds. */
  p99Ms: number;
  /** Median latency, milliseconds. */
  p50Ms: number;
  requests: number;
  /** Socket errors (connect, read, write, timeout) plus non-2xx/3xx responses. */
  errors: number;
  /** wrk's own output. */
  raw: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function toMs(value: string, unit: string): number {
  const factor = UNIT_MS[unit];
  if (factor === undefined) throw new Error(`wrk: unknown time unit ${JSON.stringify(unit)}`);
  return Number(value) * factor;
}

/** Reads the figures out of `wrk --latency` output. Throws when a figure is missing. */
export function parseWrkOutput(output: string): LoadTestResult {
  const rps = output.match(/^Requests\/sec:\s+([\d.]+)/m);
  const p99 = output.match(/^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\b/m);
  const p50 = output.match(/^\s*50(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\b/m);
  const total = output.match(/^\s*(\d+) requests in /m);
  if (!rps || !p99 || !p50 || !total) {
    throw new Error(`wrk: could not read Requests/sec and the latency distribution from:\n${output}`);
  }
  let errors = 0;
  const sock = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  if (sock) errors += sock.slice(1).reduce((a, b) => a + Number(b), 0);
  const non2xx = output.match(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx) errors += Number(non2xx[1]);
  return {
    requestsPerSec: Number(rps[1]),
    p99Ms: toMs(p99[1] as string, p99[2] as string),
    p50Ms: toMs(p50[1] as string, p50[2] as string),
    requests: Number(total[1]),
    errors,
    raw: output,
  };
}

/**
 * Runs `wrk --latency` against `url` and returns throughput and latency. Needs `wrk` on PATH
 * (`bash scripts/services/extra-wrk.sh`; `npm run bench` runs it). Fails when wrk saw errors or no requests.
 */
export async function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const {
    url,
    connections = 50,
    durationMs = 5000,
    threads = 1,
    timeoutS = 5,
    allowErrors = false,
  } = options;
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`loadTest: url must be a loopback URL, got ${url}`);
  }
  if (!Number.isInteger(connections) || connections < threads) {
    throw new Error(`loadTest: connections must be an integer >= threads (${threads}), got ${connections}`);
  }
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  const args = [
    '-t',
    String(threads),
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    `${timeoutS}s`,
    '--latency',
    url,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'wrk',
      args,
      { timeout: (seconds + timeoutS + 10) * 1000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const hint =
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? ' (wrk is not installed: run bash scripts/services/extra-wrk.sh)'
              : '';
          reject(
            new Error(`loadTest: wrk ${args.join(' ')} failed${hint}: ${err.message}\n${stdout}${stderr}`),
          );
        } else resolve(stdout);
      },
    );
  });
  const result = parseWrkOutput(output);
  if (result.requests === 0 || (result.errors > 0 && !allowErrors)) {
    throw new Error(
      `loadTest: ${result.errors} errors in ${result.requests} requests against ${url}:\n${output}`,
    );
  }
  return result;
}
