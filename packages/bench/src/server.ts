import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, from the OS. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export interface StartServerOptions {
  /** Path requested to see whether the server answers (any HTTP status counts). @default '/' */
  readyPath?: string;
  /** @default 20000 */
  timeoutMs?: number;
  cwd?: string;
}

/** A server subprocess started by `startServer`. */
export interface BenchServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A bench that throws must not leave servers behind.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function answers(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * Starts `node <nodeArgs> <script>` with `PORT` (a free port) and `HOST=127.0.0.1` in its environment and
 * resolves once an HTTP GET to it gets any answer. The script must listen on `process.env.PORT`.
 *
 * @example
 * const server = await startServer(['--require', '@otel-perf/node/register'], 'bench/fixtures/app.cjs', {
 *   OTEL_METRICS_EXPORTER: 'none',
 * });
 * const { requestsPerSec } = await loadTest({ url: server.url, connections: 50, durationMs: 5000 });
 * await server.stop();
 */
export async function startServer(
  nodeArgs: string[],
  script: string,
  env: Record<string, string | undefined> = {},
  options: StartServerOptions = {},
): Promise<BenchServer> {
  const { readyPath = '/', timeoutMs = 20_000, cwd } = options;
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  installExitHook();
  running.add(child);
  let out = '';
  const keep = (d: string) => {
    out = (out + d).slice(-20_000);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = `code ${code}, signal ${signal}`;
      running.delete(child);
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitInfo !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await answers(port, readyPath))) {
    if (exitInfo !== undefined) {
      throw new Error(
        `startServer: ${script} exited (${exitInfo}) before answering on port ${port}:\n${out}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `startServer: ${script} did not answer on port ${port} within ${timeoutMs} ms:\n${out}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `http://127.0.0.1:${port}`, child, output: () => out, stop };
}
