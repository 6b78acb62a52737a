import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '@otel-perf/core';
import type { AlertFilter } from './alerts.js';
import type { AnomalyProcessor } from './processor.js';

const FILTERS: readonly AlertFilter[] = ['all', 'active', 'pending', 'firing', 'resolved', 'silenced'];
const MAX_BODY = 16 * 1024;
/** The longest silence the API accepts (30 days). */
const MAX_SILENCE_MS = 30 * 86_400_000;

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError(`body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new RangeError('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** Constant-time comparison of the request's bearer token with the configured one. */
function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
  const given = Buffer.from(h.slice('Bearer '.length).trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The silence end from `{ until }` (ISO 8601 or ms since epoch) or `{ durationMs }`. */
function silenceUntil(body: unknown, now: number): number {
  const b = (body ?? {}) as { until?: unknown; durationMs?: unknown };
  let until: number;
  if (b.until !== undefined) {
    until =
      typeof b.until === 'number' ? b.until : typeof b.until === 'string' ? Date.parse(b.until) : Number.NaN;
    if (!Number.isFinite(until)) throw new RangeError('until must be an ISO 8601 time or ms since epoch');
  } else if (b.durationMs !== undefined) {
    if (typeof b.durationMs !== 'number' || !Number.isFinite(b.durationMs) || b.durationMs <= 0)
      throw new RangeError('durationMs must be a positive number');
    until = now + b.durationMs;
  } else {
    throw new RangeError('give until (ISO 8601 time) or durationMs');
  }
  if (until <= now) throw new RangeError('the silence must end in the future');
  if (until - now > MAX_SILENCE_MS)
    throw new RangeError(`a silence may last ${MAX_SILENCE_MS / 86_400_000} days at most`);
  return until;
}

/**
 * The alerts HTTP API on the distro's metrics server:
 * - `GET <path>?state=all|active|pending|firing|resolved|silenced` lists alerts (`{ alerts }`);
 * - `POST <path>/<id>/acknowledge`, `POST <path>/<id>/silence` (`{ until }` or `{ durationMs }`) and
 *   `POST <path>/baseline` (marks the regression baseline) need `Authorization: Bearer <apiToken>`:
 *   401 without the right token, 403 when no token is configured (the write API is off).
 */
export function alertRoutes(processor: AnomalyProcessor, path: string, token: string | undefined): Route[] {
  const write = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (token === undefined) {
      json(res, 403, { error: 'the alerts write API is off: set anomaly.apiToken to turn it on' });
      return;
    }
    if (!authorized(req, token)) {
      res.setHeader('www-authenticate', 'Bearer');
      json(res, 401, { error: 'missing or wrong bearer token' });
      return;
    }
    const rest = url.pathname.slice(path.length + 1).split('/');
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (err) {
      json(res, 400, { error: (err as Error).message });
      return;
    }
    if (rest.length === 1 && rest[0] === 'baseline') {
      json(res, 200, { marked: processor.markBaseline() });
      return;
    }
    const [rawId, action] = rest;
    if (rest.length !== 2 || !rawId || (action !== 'acknowledge' && action !== 'silence')) {
      json(res, 404, {
        error: `no such route; POST ${path}/<id>/acknowledge, ${path}/<id>/silence or ${path}/baseline`,
      });
      return;
    }
    const id = decodeURIComponent(rawId);
    if (action === 'acknowledge') {
      const alert = processor.acknowledge(id);
      if (alert) json(res, 200, { alert });
      else json(res, 404, { error: `no open alert with id ${JSON.stringify(id)}` });
      return;
    }
    let until: number;
    try {
      until = silenceUntil(body, processor.now());
    } catch (err) {
      json(res, 400, { error: (err as Error).message });
      return;
    }
    const alert = processor.silence(id, until);
    if (alert) json(res, 200, { alert });
    else json(res, 404, { error: `no open alert with id ${JSON.stringify(id)}` });
  };
  return [
    {
      method: 'GET',
      path,
      handler: (_req, res, url) => {
        const state = (url.searchParams.get('state') ?? 'all') as AlertFilter;
        if (!FILTERS.includes(state)) {
          json(res, 400, { error: `unknown state ${JSON.stringify(state)}`, allowed: FILTERS });
          return;
        }
        json(res, 200, { alerts: processor.alerts(state) });
      },
    },
    { method: 'POST', path: `${path}/*`, handler: write },
  ];
}
