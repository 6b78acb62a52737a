import { createServer, type Server } from 'node:http';
import { close, listen } from '@otel-perf/test-utils';

/**
 * A real HTTP upstream on loopback (port from the OS):
 * - `/ok` answers 200 `ok`;
 * - `/fail` answers 500;
 * - `/missing` answers 404 (the error breakers are told to ignore);
 * - `/slow?ms=N` answers 200 after N ms;
 * - `/hang` never answers (until the server closes), to drive breaker timeouts;
 * - `/flaky?key=K&n=N&m=M` fails (500) N of every M requests with that key: requests 0..N-1 of each M fail.
 */
export interface Upstream {
  readonly url: string;
  /** Requests received, by path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const hits = new Map<string, number>();
  const flaky = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    switch (url.pathname) {
      case '/ok':
        res.end('ok');
        return;
      case '/fail':
        res.statusCode = 500;
        res.end('upstream failed');
        return;
      case '/missing':
        res.statusCode = 404;
        res.end('not found');
        return;
      case '/slow': {
        const t = setTimeout(
          () => {
            timers.delete(t);
            res.end('slow ok');
          },
          Number(url.searchParams.get('ms') ?? 100),
        );
        timers.add(t);
        return;
      }
      case '/hang':
        return;
      case '/flaky': {
        const key = url.searchParams.get('key') ?? '';
        const n = Number(url.searchParams.get('n'));
        const m = Number(url.searchParams.get('m'));
        const i = flaky.get(key) ?? 0;
        flaky.set(key, i + 1);
        if (i % m < n) {
          res.statusCode = 500;
          res.end(`flaky ${i} failed`);
        } else {
          res.end(`flaky ${i} ok`);
        }
        return;
      }
      default:
        res.statusCode = 400;
        res.end('unknown path');
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    async close() {
      for (const t of timers) clearTimeout(t);
      await close(server);
    },
  };
}

/** An upstream answer of 400 or more. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`upstream answered ${status}: ${body}`);
    this.name = 'HttpError';
  }
}

/** GETs `url` and resolves the body, or rejects with an {@link HttpError}; aborts after 5 s at most. */
export async function get(url: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(url, {
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(5000)]) : AbortSignal.timeout(5000),
  });
  const body = await res.text();
  if (res.status >= 400) throw new HttpError(res.status, body);
  return body;
}

/** What a caller received from one call, in a form two runs can be compared by. */
export type Settled =
  | { status: 'fulfilled'; value: unknown }
  | { status: 'rejected'; type: string; name: string; message: string; code: unknown; status_: unknown };

export async function settle(p: Promise<unknown>): Promise<Settled> {
  try {
    return { status: 'fulfilled', value: await p };
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: unknown; status?: unknown };
    return {
      status: 'rejected',
      type: String((err as object | null)?.constructor?.name),
      name: String(e?.name),
      message: String(e?.message),
      code: e?.code,
      status_: e?.status,
    };
  }
}
