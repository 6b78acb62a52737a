import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './net.js';

/** A free TCP port on 127.0.0.1, from the OS. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** A server a test owns: it can be stopped and started again on the same port, and is removed at the end. */
export interface ThrowawayServer {
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

/**
 * Starts a private Redis on a free loopback port (no persistence), for tests that must see Redis go away
 * and come back without touching the shared server. Needs `redis-server` (scripts/services/redis.sh).
 */
export async function startThrowawayRedis(): Promise<ThrowawayServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async () => {
    try {
      return execFileSync('redis-cli', ['-p', String(port), 'ping'], {
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).includes('PONG');
    } catch {
      return false;
    }
  };
  const server: ThrowawayServer = {
    port,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await waitFor(ping, { what: `redis-server on ${port}`, timeoutMs: 10_000 });
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
    },
    destroy: () => server.stop(),
  };
  await server.start();
  return server;
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found under ${root}: run bash scripts/services/postgres.sh`);
}

/**
 * Starts a private PostgreSQL cluster (initdb in a temp dir, trust auth, a free loopback port) that a test may
 * stop and start, without touching the shared server. Runs as the `postgres` user when the test runs as root
 * (initdb refuses root). Database `postgres`, user `postgres`.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'otel-perf-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) => {
    const full = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    execFileSync(full[0] as string, full[1] as string[], { stdio: 'pipe', timeout: 60_000 });
  };
  asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const ctl = (action: 'start' | 'stop') =>
    asPostgres(pgBin('pg_ctl'), [
      '-D',
      data,
      '-w',
      '-t',
      '30',
      ...(action === 'start'
        ? [
            '-l',
            join(dir, 'log'),
            '-o',
            `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
            'start',
          ]
        : ['-m', 'immediate', 'stop']),
    ]);
  let running = false;
  const server: ThrowawayServer = {
    port,
    async start() {
      ctl('start');
      running = true;
    },
    async stop() {
      if (!running) return;
      ctl('stop');
      running = false;
    },
    async destroy() {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
