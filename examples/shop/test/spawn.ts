import type { NodeProcess } from '@otel-perf/test-utils';

/**
 * Signals the process group of `p` (started with `runProcess(..., { group: true })`: the demo starts
 * children of its own) and waits for the leader to exit; SIGKILL to the group after `graceMs`, and at the
 * end for any child left behind.
 */
export async function stop(
  p: NodeProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.kill(signal);
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  const result = await p.exited;
  clearTimeout(timer);
  p.kill('SIGKILL');
  return result;
}

/**
 * The environment of a fresh machine for the demo: no database or Redis configured, OS-chosen ports
 * (`runProcess` merges it over `process.env`; an undefined value leaves the variable out).
 */
export function embeddedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    OTEL_PERF_CONFIG: undefined,
    OTEL_METRICS_EXPORTER: undefined,
    NODE_OPTIONS: undefined,
    // Anything that fell back to a server on this machine would fail loudly: nothing listens there.
    PGHOST: '127.0.0.1',
    PGPORT: '1',
    PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    ...extra,
  };
}
