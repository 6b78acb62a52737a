import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_THRESHOLD } from '../../src/detector/index.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

/**
 * The shared NAB folder: `$NAB_DIR`, else `../shared/nab` next to the checkout (CI), or next to a parent folder
 * (a git worktree under `<root>/wt/<name>`). Not found is a failure, not a skip.
 */
function findNab(): string {
  if (process.env.NAB_DIR) return resolve(process.env.NAB_DIR);
  for (let dir = dirname(repoRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'nab');
    if (existsSync(join(candidate, 'nab-score.mjs'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no shared/nab/nab-score.mjs above ${repoRoot}`);
  }
}

const FILES = [
  'artificialWithAnomaly/art_daily_jumpsup.csv',
  'realKnownCause/ec2_request_latency_system_failure.csv',
  'realTraffic/occupancy_6005.csv',
];

describe('npm run bench:nab on three NAB files copied to a temporary folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'otel-perf-nab-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes <out>/<category>/<file>.csv (timestamp,anomaly_score in [0,1], one row per data row) and detector.json', () => {
    const nab = findNab();
    const data = join(work, 'data');
    const out = join(work, 'out');
    for (const f of FILES) {
      mkdirSync(join(data, dirname(f)), { recursive: true });
      cpSync(join(nab, 'data', f), join(data, f));
    }
    const log = execFileSync('npm', ['run', '--silent', 'bench:nab', '--', '--data', data, '--out', out], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    expect(log).toMatch(/3 files/);

    expect(JSON.parse(readFileSync(join(out, 'detector.json'), 'utf8'))).toEqual({
      threshold: DEFAULT_ALERT_THRESHOLD,
    });
    for (const f of FILES) {
      const input = readFileSync(join(data, f), 'utf8').trim().split('\n');
      const output = readFileSync(join(out, f), 'utf8').trim().split('\n');
      expect(output[0]).toBe('timestamp,anomaly_score');
      expect(output).toHaveLength(input.length);
      let max = 0;
      const wrong: string[] = [];
      output.slice(1).forEach((row, i) => {
        const [ts, score] = row.split(',');
        const s = Number(score);
        if (ts !== input[i + 1]?.split(',')[0] || !(s >= 0 && s <= 1)) wrong.push(`row ${i + 1}: ${row}`);
        if (s > max) max = s;
      });
      expect(wrong, f).toEqual([]);
      // The detector finds a labelled anomaly in each of these files (the scorer below checks where).
      expect(max, f).toBeGreaterThanOrEqual(DEFAULT_ALERT_THRESHOLD);
    }

    // The NAB scorer reads the output as it is, at the shipped threshold.
    const report = JSON.parse(
      execFileSync(
        process.execPath,
        [
          join(nab, 'nab-score.mjs'),
          out,
          '--data',
          data,
          '--windows',
          join(nab, 'labels', 'combined_windows.json'),
          '--allow-missing',
          '--threshold',
          String(DEFAULT_ALERT_THRESHOLD),
          '--json',
        ],
        { encoding: 'utf8', timeout: 60_000 },
      ),
    );
    expect(report.files).toBe(3);
    expect(report.windows).toBe(5);
    expect(report.profiles.standard.windowsDetected).toBeGreaterThanOrEqual(3);
    expect(report.profiles.standard.score).toBeGreaterThan(0);
  }, 180_000);
});
