import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { safeAttributeValue, safeCall } from '../src/index.js';

function captureDiag(): string[] {
  const seen: string[] = [];
  const log = (m: string) => seen.push(m);
  const logger: DiagLogger = { error: log, warn: log, info: log, debug: log, verbose: log };
  diag.setLogger(logger, DiagLogLevel.ALL);
  return seen;
}

describe('safeCall', () => {
  afterEach(() => diag.disable());

  it('returns the hook value', () => {
    expect(safeCall('hook', (a: number, b: number) => a + b, 2, 3)).toBe(5);
  });

  it('reports a throw to diag and returns undefined', () => {
    const seen = captureDiag();
    expect(
      safeCall('onAlert', () => {
        throw new Error('boom');
      }),
    ).toBeUndefined();
    expect(seen.some((m) => m.includes('onAlert threw'))).toBe(true);
  });

  it('reports a rejection to diag without an unhandled rejection', async () => {
    const seen = captureDiag();
    void safeCall('asyncHook', () => Promise.reject(new Error('nope')));
    await new Promise((r) => setImmediate(r));
    expect(seen.some((m) => m.includes('asyncHook rejected'))).toBe(true);
  });
});

describe('safeAttributeValue', () => {
  it('cuts giant values and strips control characters', () => {
    const v = safeAttributeValue(`a\nb${'x'.repeat(10_000)}`);
    expect(v.length).toBe(256);
    expect(v.startsWith('abx')).toBe(true);
    expect(v.endsWith('…')).toBe(true);
  });
  it('maps empty and non-string values', () => {
    expect(safeAttributeValue('')).toBe('_OTHER');
    expect(safeAttributeValue(404)).toBe('404');
  });
});
