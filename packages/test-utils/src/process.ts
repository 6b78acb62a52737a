import { type ChildProcess, spawn } from 'node:child_process';

export interface NodeProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** stdout and stderr together, in the order they arrived. */
  output(): string;
  /**
   * Resolves when stdout (or, with `from: 'all'`, stdout and stderr together) matches `pattern`, with the
   * match.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number, from?: 'stdout' | 'all'): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or 128 + signal number) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the process, or its whole process group when started with `group: true`. */
  kill(signal?: NodeJS.Signals): void;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGKILL after this long, so a hung child never hangs the suite. @default 30000 */
  timeoutMs?: number;
  /**
   * Start the process as the leader of its own process group and signal the whole group (for a command
   * that starts children of its own, such as a shell script).
   * @default false
   */
  group?: boolean;
}

/**
 * Runs `node <args>` with the current Node binary as a real subprocess. The process is killed with
 * SIGKILL if it is still running after `timeoutMs`, so a hung child never hangs the suite.
 */
export function runNode(args: string[], options: RunOptions = {}): NodeProcess {
  return runProcess(process.execPath, args, options);
}

/** Runs `command <args>` as a real subprocess; see {@link runNode}. */
export function runProcess(
  command: string,
  args: string[],
  { env = {}, cwd, timeoutMs = 30_000, group = false }: RunOptions = {},
): NodeProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let out = '';
  let err = '';
  let all = '';
  const waiters: { pattern: RegExp; from: 'stdout' | 'all'; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = (w.from === 'all' ? all : out).match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    all += d;
    check();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    all += d;
    check();
  });
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!group || child.pid === undefined) {
      child.kill(signal);
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const killer = setTimeout(() => kill('SIGKILL'), timeoutMs);
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
    output: () => all,
    exited,
    kill,
    waitForOutput(pattern, waitMs = 15_000, from = 'stdout') {
      const m = (from === 'all' ? all : out).match(pattern);
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
          from,
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
