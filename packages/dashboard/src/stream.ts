import type { ServerResponse } from 'node:http';
import { type Frame, pickGroups } from './frames.js';
import type { Subscription } from './types.js';

interface Client {
  res: ServerResponse;
  sub: Subscription;
  lastSent: number;
}

/**
 * Live updates by Server-Sent Events: each client has its own groups and interval; a frame is sent to a
 * client when its interval has passed since the last one it got. Sockets are unref'd: an open dashboard never
 * keeps the process alive.
 */
export class FrameStream {
  private readonly clients = new Set<Client>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly maxClients: number) {}

  get size(): number {
    return this.clients.size;
  }

  /** Starts streaming to `res`; answers 503 when the client limit is reached. */
  add(res: ServerResponse, sub: Subscription, initial: Frame | undefined): void {
    if (this.clients.size >= this.maxClients) {
      res
        .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '10' })
        .end('too many live dashboard clients');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.socket?.unref();
    res.write(`retry: 3000\n\n`);
    const client: Client = { res, sub, lastSent: 0 };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (initial) this.send(client, initial);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => {
        for (const c of this.clients) c.res.write(': keep-alive\n\n');
      }, 15_000);
      this.heartbeat.unref();
    }
  }

  /** Offers a new frame to every client whose interval has passed. */
  publish(frame: Frame): void {
    for (const c of this.clients) {
      if (frame.t - c.lastSent >= c.sub.intervalMs - 50) this.send(c, frame);
    }
  }

  /** Ends every stream (shutdown). */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private send(c: Client, frame: Frame): void {
    c.lastSent = frame.t;
    c.res.write(`event: frame\ndata: ${JSON.stringify(pickGroups(frame, c.sub.groups))}\n\n`);
  }
}
