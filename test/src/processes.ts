import { type ChildProcess, spawn } from 'node:child_process';

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
 * Starts `command args` as a real subprocess. It is killed with SIGKILL after `timeoutMs` if the test
 * never stops it, so a crashed test cannot leave servers behind for long.
 */
export function startServer(
  name: string,
  command: string,
  args: string[],
  { env = {}, timeoutMs = 15 * 60_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): ServerProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
