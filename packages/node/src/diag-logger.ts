import { format } from 'node:util';
import type { DiagLogger } from '@opentelemetry/api';

function write(level: string, message: string, args: unknown[]): void {
  try {
    process.stderr.write(`${format(`[otel ${level}] ${message}`, ...args)}\n`);
  } catch {
    // stderr closed or broken: diagnostics are best effort.
  }
}

/**
 * The diag logger the distro installs: every level goes to stderr (the console logger would put info and
 * debug on the app's stdout, which may be its data channel).
 */
export const stderrDiagLogger: DiagLogger = {
  error: (message, ...args) => write('error', message, args),
  warn: (message, ...args) => write('warn', message, args),
  info: (message, ...args) => write('info', message, args),
  debug: (message, ...args) => write('debug', message, args),
  verbose: (message, ...args) => write('verbose', message, args),
};
