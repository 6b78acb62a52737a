import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeInstrumentation } from '../src/index.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';

describe('configuration', () => {
  it.each([
    [
      { eventLoopDelayResolutionMillis: 0 },
      /eventLoopDelayResolutionMillis must be an integer from 1 to 1000, got 0/,
    ],
    [{ eventLoopDelayResolutionMillis: 2.5 }, /eventLoopDelayResolutionMillis .* got 2.5/],
    [{ eventLoopDelayResolutionMillis: '10' }, /eventLoopDelayResolutionMillis .* got "10"/],
    [{ statsWindowMillis: 500 }, /statsWindowMillis must be an integer from 1000 to 3600000, got 500/],
    [
      { eventLoopDelayResolutionMillis: 500, statsWindowMillis: 2000 },
      /statsWindowMillis must be at least ten times eventLoopDelayResolutionMillis \(5000\), got 2000/,
    ],
    [{ gc: 'yes' }, /gc must be a boolean, got "yes"/],
    [{ activeResources: 1 }, /activeResources must be a boolean, got 1/],
  ])('rejects %j at construction, naming the key', (config, message) => {
    expect(() => new RuntimeInstrumentation(config as never)).toThrow(message);
  });

  it('rejects an invalid setConfig and keeps running with the previous config', () => {
    const i = new RuntimeInstrumentation({ enabled: false });
    expect(() => i.setConfig({ statsWindowMillis: -1 })).toThrow(/statsWindowMillis/);
    expect(i.getConfig()).toMatchObject({ eventLoopDelayResolutionMillis: 20, statsWindowMillis: 10_000 });
  });

  it('merges the defaults', () => {
    const i = new RuntimeInstrumentation({ enabled: false, gc: false });
    expect(i.getConfig()).toEqual({
      enabled: false,
      gc: false,
      eventLoopDelayResolutionMillis: 20,
      statsWindowMillis: 10_000,
      activeResources: true,
    });
  });

  it('uses the package name and version as its scope', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    const i = new RuntimeInstrumentation({ enabled: false });
    expect([i.instrumentationName, i.instrumentationVersion]).toEqual([PACKAGE_NAME, PACKAGE_VERSION]);
    expect([pkg.name, pkg.version]).toEqual([PACKAGE_NAME, PACKAGE_VERSION]);
  });
});
