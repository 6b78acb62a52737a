import { type ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '@otel-perf/test-utils';

/** A process group started by the tests (the demo starts children of its own). */
export interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` to the whole group and waits for the leader to exit (SIGKILL after `graceMs`). */
  stop(
    signal?: NodeJS.Signals,
    graceMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const group = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {}
  };
  return {
    child,
    output: () => out,
    waitFor: (pattern, timeoutMs = 120_000) =>
      waitFor(() => out.match(pattern) ?? undefined, {
        what: `${pattern} in the output (so far: ${out.slice(-2000)})`,
        timeoutMs,
      }),
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) group(signal);
      const timer = setTimeout(() => group('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      group('SIGKILL');
      return result;
    },
  };
}

/** The environment of a fresh machine for the demo: no database or Redis configured, OS-chosen ports. */
export function embeddedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'OTEL_PERF_CONFIG', 'OTEL_METRICS_EXPORTER', 'NODE_OPTIONS'])
    delete env[k];
  return {
    ...env,
    // Anything that fell back to a server on this machine would fail loudly: nothing listens there.
    PGHOST: '127.0.0.1',
    PGPORT: '1',
    PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    ...extra,
  };
}
