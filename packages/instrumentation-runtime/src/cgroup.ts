import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, posix } from 'node:path';

/** How many CPUs the process may use, and where that number came from. */
export interface CpuLimit {
  /** CPUs available (may be fractional under a cgroup quota, e.g. 1.5). */
  readonly cpus: number;
  /** `cgroup2` (`cpu.max`), `cgroup1` (`cpu.cfs_quota_us`), or `host` (`os.availableParallelism()`). */
  readonly source: 'cgroup2' | 'cgroup1' | 'host';
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** `dir` and every ancestor up to `top` (a quota set on a parent cgroup limits its children). */
function upTo(top: string, path: string): string[] {
  const dirs: string[] = [];
  let p = posix.normalize(`/${path}`);
  for (;;) {
    dirs.push(join(top, p));
    if (p === '/') return dirs;
    p = posix.dirname(p);
  }
}

function smallest(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/** cgroup v2: `cpu.max` is `<quota> <period>` or `max <period>`. */
function cgroup2(root: string, path: string): number | undefined {
  return smallest(
    upTo(join(root, 'sys/fs/cgroup'), path).map((dir) => {
      const [quota, period] = (read(join(dir, 'cpu.max')) ?? '').split(/\s+/);
      if (!quota || quota === 'max' || !period) return undefined;
      return Number(quota) / Number(period);
    }),
  );
}

/** cgroup v1: `cpu.cfs_quota_us` (-1 when unlimited) over `cpu.cfs_period_us`, under the `cpu` mount. */
function cgroup1(root: string, path: string): number | undefined {
  const mounts = ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'].map((m) => join(root, 'sys/fs/cgroup', m));
  return smallest(
    mounts.flatMap((mount) =>
      // Inside a container the cgroup path is often the host's, while the mount shows the container's own.
      [...upTo(mount, path), mount].map((dir) => {
        const quota = Number(read(join(dir, 'cpu.cfs_quota_us')));
        const period = Number(read(join(dir, 'cpu.cfs_period_us')));
        return quota > 0 && period > 0 ? quota / period : undefined;
      }),
    ),
  );
}

/**
 * The CPUs this process may use: the smallest of `os.availableParallelism()` (affinity, cpuset) and the cgroup
 * CPU quota (v2 `cpu.max`, or v1 `cpu.cfs_quota_us / cpu.cfs_period_us`) on the process's cgroup or any of its
 * ancestors. Never throws; unreadable files count as "no quota". `root` is for tests (a directory laid out
 * like `/`).
 */
export function cpuLimit(root = '/', hostCpus: number = availableParallelism()): CpuLimit {
  const host: CpuLimit = { cpus: hostCpus, source: 'host' };
  const lines = (read(join(root, 'proc/self/cgroup')) ?? '').split('\n');
  let best = host;
  for (const line of lines) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (id === '0' && controllers === '') {
      const q = cgroup2(root, path);
      if (q !== undefined && q < best.cpus) best = { cpus: q, source: 'cgroup2' };
    } else if (controllers?.split(',').includes('cpu')) {
      const q = cgroup1(root, path);
      if (q !== undefined && q < best.cpus) best = { cpus: q, source: 'cgroup1' };
    }
  }
  return best;
}
