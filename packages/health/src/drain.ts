import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type DrainSignal = (typeof SIGNALS)[number];
type Listener = (...args: unknown[]) => unknown;
type Gate = Listener & { listener: Listener; [GATE]: true };

const GATE = Symbol('otel-perf.health.drainGate');

function isGate(l: unknown): l is Gate {
  return typeof l === 'function' && (l as Partial<Gate>)[GATE] === true;
}

/**
 * On SIGTERM or SIGINT: flips to draining at once, waits `delayMs`, then hands the signal on exactly as if we
 * had not been there: the app's own listeners run then, or, when the app has none, the signal is raised again
 * with our listener removed, so the process dies of it with the same status as without us.
 *
 * Node calls every listener of one signal from a copy of the list, so a listener cannot stop the others once
 * the signal is delivered. The app's listeners are therefore gated: each is replaced by a wrapper that runs it
 * at once normally, and holds the call back while draining (`process.removeListener(sig, original)` still
 * finds the wrapper, as it does for `once` wrappers). The wait keeps the process alive for at most `delayMs`,
 * so a process with nothing else to do still ends by the signal rather than by an empty loop.
 */
export class SignalDrain {
  private draining = false;
  private released = false;
  private installed = false;
  private held: { listener: Listener; self: unknown; args: unknown[] }[] = [];
  private readonly ours = new Map<DrainSignal, Listener>();
  private readonly onNewListener = (event: string | symbol, listener: unknown) => {
    if (typeof event !== 'string' || !(SIGNALS as readonly string[]).includes(event)) return;
    if (isGate(listener) || [...this.ours.values()].includes(listener as Listener)) return;
    // 'newListener' fires before the listener is added: gate it right after.
    queueMicrotask(() => this.gate(event as DrainSignal, listener as Listener));
  };

  constructor(
    private readonly delayMs: number,
    private readonly onDrain: () => void,
  ) {}

  get isDraining(): boolean {
    return this.draining;
  }

  install(): void {
    if (this.delayMs <= 0 || this.installed) return;
    this.installed = true;
    for (const signal of SIGNALS) {
      const listener: Listener = () => this.begin(signal);
      this.ours.set(signal, listener);
      process.prependListener(signal, listener);
      for (const l of process.rawListeners(signal)) if (l !== listener) this.gate(signal, l as Listener);
    }
    process.on('newListener', this.onNewListener);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.removeListener('newListener', this.onNewListener);
    for (const [signal, listener] of this.ours) process.removeListener(signal, listener);
    this.ours.clear();
  }

  private gate(signal: DrainSignal, l: Listener): void {
    if (!this.installed || isGate(l) || !process.rawListeners(signal).includes(l)) return;
    const original = (l as Partial<Gate>).listener ?? l;
    const isOnce = original !== l;
    const drain = this;
    const gate = function (this: unknown, ...args: unknown[]) {
      if (isOnce) process.removeListener(signal, gate);
      if (drain.draining && !drain.released) {
        drain.held.push({ listener: original, self: this, args });
        return;
      }
      return original.apply(this, args);
    } as Gate;
    gate.listener = original;
    gate[GATE] = true;
    process.removeListener(signal, l as (signal: NodeJS.Signals) => void);
    process.on(signal, gate as (signal: NodeJS.Signals) => void);
  }

  private begin(signal: DrainSignal): void {
    if (this.draining) return;
    this.draining = true;
    try {
      this.onDrain();
    } catch (err) {
      diag.error('otel-perf health: drain callback threw', err);
    }
    diag.info(`otel-perf health: ${signal} received, not ready; handing it on in ${this.delayMs} ms`);
    setTimeout(() => {
      this.released = true;
      this.uninstall();
      const held = this.held;
      this.held = [];
      if (held.length === 0) {
        process.kill(process.pid, signal);
        return;
      }
      // Exactly what the emit would have done: run each in order; a throw is the app's, as it would be.
      for (const h of held) h.listener.apply(h.self, h.args);
    }, this.delayMs);
  }
}
