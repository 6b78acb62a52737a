import { type ChildProcess, spawn } from 'node:child_process';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when a line of stdout matches `pattern`, with the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or 128 + signal number) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs `node <args>` with the current Node binary as a real subprocess. The process is killed with
 * SIGKILL if it is still running after `timeoutMs`, so a hung child never hangs the suite.
 */
export function runNode(
  args: string[],
  { env = {}, cwd, timeoutMs = 30_000 }: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  killer.unref();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
    waitForOutput(pattern, waitMs = 15_000) {
      const m = out.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(`no output matching ${pattern} after ${waitMs} ms\nstdout: ${out}\nstderr: ${err}`),
            ),
          waitMs,
        );
        waiters.push({
          pattern,
          resolve: (mm) => {
            clearTimeout(t);
            resolve(mm);
          },
        });
        void exited.then(() => {
          clearTimeout(t);
          reject(
            new Error(`process exited before output matched ${pattern}\nstdout: ${out}\nstderr: ${err}`),
          );
        });
      });
    },
  };
}
