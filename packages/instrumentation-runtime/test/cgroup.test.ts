import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuLimit } from '../src/index.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A directory laid out like `/` with these files. */
function fakeRoot(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'otel-perf-cgroup-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('cpuLimit', () => {
  it('reads a cgroup v2 quota on the process cgroup', () => {
    const r = fakeRoot({
      'proc/self/cgroup': '0::/app.slice/svc\n',
      'sys/fs/cgroup/app.slice/svc/cpu.max': '150000 100000\n',
      'sys/fs/cgroup/cpu.max': 'max 100000\n',
    });
    expect(cpuLimit(r, 8)).toEqual({ cpus: 1.5, source: 'cgroup2' });
  });

  it('takes the smallest quota of the cgroup and its ancestors (v2)', () => {
    const r = fakeRoot({
      'proc/self/cgroup': '0::/parent/child\n',
      'sys/fs/cgroup/parent/child/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/parent/cpu.max': '50000 100000\n',
    });
    expect(cpuLimit(r, 8)).toEqual({ cpus: 0.5, source: 'cgroup2' });
  });

  it('reads a cgroup v1 CFS quota, also from the mount root inside a container', () => {
    const r = fakeRoot({
      'proc/self/cgroup': '12:cpu,cpuacct:/docker/abc\n11:memory:/docker/abc\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '200000\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuLimit(r, 8)).toEqual({ cpus: 2, source: 'cgroup1' });
  });

  it('ignores an unlimited v1 quota (-1) and missing files', () => {
    const r = fakeRoot({
      'proc/self/cgroup': '1:cpu:/\n',
      'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuLimit(r, 4)).toEqual({ cpus: 4, source: 'host' });
    expect(cpuLimit(join(r, 'missing'), 3)).toEqual({ cpus: 3, source: 'host' });
  });

  it('never reports more CPUs than the host has', () => {
    const r = fakeRoot({ 'proc/self/cgroup': '0::/\n', 'sys/fs/cgroup/cpu.max': '800000 100000\n' });
    expect(cpuLimit(r, 2)).toEqual({ cpus: 2, source: 'host' });
  });

  it('on this machine: a positive number no larger than availableParallelism()', () => {
    const { cpus } = cpuLimit();
    expect(cpus).toBeGreaterThan(0);
    expect(cpus).toBeLessThanOrEqual(availableParallelism());
  });
});
