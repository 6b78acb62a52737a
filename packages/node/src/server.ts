import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { diag } from '@opentelemetry/api';
import type { Route } from '@otel-perf/core';
import { IGNORE_SERVER } from '@otel-perf/instrumentation-http';

/** The path the Prometheus exporter is served on. */
export const METRICS_PATH = '/metrics';

function matches(route: Route, method: string | undefined, path: string): boolean {
  if (route.method !== method) return false;
  if (route.path.endsWith('/*')) {
    const prefix = route.path.slice(0, -1); // keeps the trailing slash
    return path.startsWith(prefix) || path === prefix.slice(0, -1);
  }
  return route.path === path;
}

/**
 * The metrics server: `/metrics` and plugin routes on one `node:http` server that never keeps the process
 * alive (the server and every accepted connection are unref'd).
 */
export class MetricsServer {
  private readonly server: Server;
  private readonly routes: Route[] = [];
  private boundUrl: string | undefined;
  private listening: Promise<string | undefined> | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    routes: readonly Route[],
  ) {
    for (const r of routes) this.addRoute(r);
    this.server = createServer((req, res) => this.handle(req, res));
    // Scrapes, health probes and dashboard requests are not the app's traffic, whatever their path.
    (this.server as Server & { [IGNORE_SERVER]?: boolean })[IGNORE_SERVER] = true;
    this.server.on('connection', (socket: Socket) => socket.unref());
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  private addRoute(route: Route): void {
    const clash = this.routes.find((r) => r.method === route.method && r.path === route.path);
    if (clash) {
      diag.warn(`otel-perf: route ${route.method} ${route.path} is already mounted; ignoring the second one`);
      return;
    }
    this.routes.push(route);
  }

  /** Starts listening; resolves with the URL, or undefined if the port could not be bound. */
  listen(): Promise<string | undefined> {
    this.listening ??= new Promise((resolve) => {
      const onError = (err: Error) => {
        diag.error(`otel-perf: metrics server could not listen on ${this.host}:${this.port}`, err);
        resolve(undefined);
      };
      this.server.once('error', onError);
      this.server.listen(this.port, this.host, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => diag.error('otel-perf: metrics server error', err));
        this.server.unref();
        const { address, port } = this.server.address() as AddressInfo;
        this.boundUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
        resolve(this.boundUrl);
      });
    });
    return this.listening;
  }

  /** The URL the server listens on, once it does. */
  url(): string | undefined {
    return this.boundUrl;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.statusCode = 400;
      res.end();
      return;
    }
    const route = this.routes.find((r) => matches(r, req.method, url.pathname));
    if (!route) {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('not found\n');
      return;
    }
    const fail = (err: unknown) => {
      diag.error(`otel-perf: route ${route.method} ${route.path} failed`, err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('internal error\n');
    };
    try {
      const r = route.handler(req, res, url);
      if (r && typeof r.then === 'function') r.then(undefined, fail);
    } catch (err) {
      fail(err);
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
