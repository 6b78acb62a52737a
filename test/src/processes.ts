import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A server process the test started, with its output kept for error messages. */
export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last 64 KiB of stdout and stderr, interleaved. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * util-linux `setpriv --pdeathsig KILL` (Linux): the server is killed by the kernel when the test process
 * that started it dies, even when it dies too abruptly to run its teardown.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/**
 * Starts `command args` as a real subprocess. It is killed with SIGKILL after `timeoutMs` if the test
 * never stops it, and when the test process dies (see SETPRIV), so a crashed test leaves no server behind.
 */
export function startServer(
  name: string,
  command: string,
  args: string[],
  { env = {}, timeoutMs = 15 * 60_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): ServerProcess {
  const [file, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`\n[spawn error] ${String(err)}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  killer.unref();
  void exited.then(() => clearTimeout(killer));
  return {
    name,
    child,
    output: () => out,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(hard);
    },
  };
}

/** True while the process runs. */
export function running(p: ServerProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}
