import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The folder of the collector's manifest, config, rules and Prometheus/Alertmanager configs. */
export const COLLECTOR_DIR = join(REPO_ROOT, 'otel-collector');

/** The Debian binaries the end-to-end test and the rule suite use, and the script that installs them. */
export const SERVER_BINARIES = {
  prometheus: 'prometheus',
  promtool: 'promtool',
  alertmanager: 'prometheus-alertmanager',
  amtool: 'amtool',
} as const;

/**
 * The absolute path of `name` on PATH. A missing binary is an error naming the script that installs it:
 * the test never skips because a server is missing.
 */
export function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} is not installed. Install it with: bash scripts/services/extra-prometheus.sh ` +
      '(Debian packages prometheus and prometheus-alertmanager)',
  );
}

/**
 * Builds the collector with otel-collector/build.sh, or reuses the binary it cached for this manifest, and
 * returns the binary's path. A cold build takes minutes; `npm test` runs scripts/services/extra-collector.sh
 * first, so the test normally only finds the cached binary.
 */
export function buildCollector(): string {
  try {
    const out = execFileSync('bash', [join(COLLECTOR_DIR, 'build.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 20 * 60_000,
    });
    const bin = out.trim().split('\n').pop() ?? '';
    if (!existsSync(bin)) throw new Error(`build.sh printed "${bin}", which does not exist`);
    return bin;
  } catch (err) {
    throw new Error(
      `could not build the collector (bash otel-collector/build.sh; needs Go >= 1.26): ${String(err)}`,
    );
  }
}
