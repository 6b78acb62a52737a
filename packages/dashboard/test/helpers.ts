import { createServer, type Server } from 'node:http';
import type { Route } from '@otel-perf/core';
import { listen } from '@otel-perf/test-utils';

/** Serves Route objects the way the distro's metrics server does (exact path or `/prefix/*`). */
export async function serveRoutes(routes: Route[]): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find(
      (r) =>
        r.method === req.method &&
        (r.path === url.pathname || (r.path.endsWith('/*') && url.pathname.startsWith(r.path.slice(0, -1)))),
    );
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    void Promise.resolve(route.handler(req, res, url));
  });
  return { server, base: `http://127.0.0.1:${await listen(server)}` };
}
