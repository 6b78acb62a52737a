import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgInstrumentation } from '../src/index.js';
import { PACKAGE_VERSION } from '../src/version.js';

describe('PgInstrumentation configuration', () => {
  it('throws at construction naming the key, the value and what is allowed', () => {
    expect(() => new PgInstrumentation({ slowQueryThreshold: -1, enabled: false })).toThrow(
      'PgInstrumentation: slowQueryThreshold must be a finite number of seconds >= 0, got -1',
    );
    expect(
      () => new PgInstrumentation({ slowQueryThreshold: '1' as unknown as number, enabled: false }),
    ).toThrow(/slowQueryThreshold/);
    expect(() => new PgInstrumentation({ onSlowQuery: 1 as unknown as () => void, enabled: false })).toThrow(
      'PgInstrumentation: onSlowQuery must be a function, got 1',
    );
    expect(() => new PgInstrumentation({ poolName: 'x' as unknown as () => string, enabled: false })).toThrow(
      /poolName must be a function/,
    );
  });

  it('merges defaults in one place', () => {
    const i = new PgInstrumentation({ enabled: false });
    expect(i.getConfig().slowQueryThreshold).toBe(1);
    i.setConfig({ slowQueryThreshold: 0.1 });
    expect(i.getConfig().slowQueryThreshold).toBe(0.1);
  });

  it("reports the package's version as its scope version", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(PACKAGE_VERSION).toBe(pkg.version);
  });
});
