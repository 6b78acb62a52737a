/**
 * Flush on SIGTERM, SIGINT and `beforeExit` without changing how the process ends:
 * - a signal the app does not handle: flush (bounded), remove our listener and re-raise the signal, so the
 *   process dies of it exactly as it would have (same exit signal);
 * - a signal the app handles: flush in the background and leave the rest to the app (never exit for it);
 * - `beforeExit`: flush once (bounded), then let the process end with its own exit code.
 */
import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type Signal = (typeof SIGNALS)[number];

/** Why the distro is flushing. */
export type FlushReason = 'signal' | 'signal-handled-by-app' | 'beforeExit';

/**
 * Resolves when `p` settles or after `ms`, whichever is first; never rejects. The deadline timer is ref'd:
 * it is what keeps the process alive while a final flush runs (export sockets are unref'd).
 */
export function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`otel-perf: final flush did not finish within ${ms} ms; giving up on it`);
      resolve();
    }, ms);
  });
  return Promise.race([
    p.then(
      () => undefined,
      (err: unknown) => diag.error('otel-perf: final flush failed', err),
    ),
    deadline,
  ]).finally(() => clearTimeout(timer));
}

/**
 * Installs the listeners; returns the function that removes them. `flush` does the work for a reason;
 * it is bounded here by `timeoutMillis`.
 */
export function installExitHandlers(
  flush: (reason: FlushReason) => Promise<void>,
  timeoutMillis: number,
): () => void {
  const listeners = new Map<Signal, (signal: Signal) => void>();
  let dying = false;
  let exitFlushed = false;

  const uninstall = () => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    listeners.clear();
    process.removeListener('beforeExit', onBeforeExit);
  };

  const reraise = (signal: Signal) => {
    uninstall();
    process.kill(process.pid, signal);
  };

  const onSignal = (signal: Signal) => {
    const own = listeners.get(signal);
    const appHandles = process.listeners(signal).some((l) => l !== own);
    if (appHandles) {
      // The app decides what the signal means; we only make sure what was measured goes out.
      void bounded(flush('signal-handled-by-app'), timeoutMillis);
      return;
    }
    if (dying) {
      // A second signal while flushing: stop waiting.
      reraise(signal);
      return;
    }
    dying = true;
    // The flush ends or times out, then the signal is re-raised.
    void bounded(flush('signal'), timeoutMillis).then(() => reraise(signal));
  };

  const onBeforeExit = () => {
    if (exitFlushed) return;
    exitFlushed = true;
    void bounded(flush('beforeExit'), timeoutMillis);
  };

  for (const signal of SIGNALS) {
    const listener = (s: Signal) => onSignal(s);
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
  process.on('beforeExit', onBeforeExit);
  return uninstall;
}
