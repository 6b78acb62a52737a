// Runs the anomaly detector over a NAB-layout data folder and writes results the NAB scorer reads.
//
//   node packages/anomaly/bench/nab.ts --data <dataDir> --out <outDir> [--options '<DetectorOptions JSON>']
//
// For every <dataDir>/<category>/<file>.csv (columns timestamp,value) it feeds the values in order through a
// fresh detector and writes <outDir>/<category>/<file>.csv (timestamp,anomaly_score) and
// <outDir>/detector.json ({"threshold": DEFAULT_ALERT_THRESHOLD}). It never reads labels.
//
// It imports src/detector/index.ts itself (Node's type stripping), which is the file the processor bundles, so
// the scores are those of the shipped code. --options exists for parameter studies only.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDetector, DEFAULT_ALERT_THRESHOLD, type DetectorOptions } from '../src/detector/index.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    options: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
if (!values.data || !values.out) {
  process.stderr.write('usage: npm run bench:nab -- --data <dataDir> --out <outDir>\n');
  process.exit(2);
}
// `npm run` starts scripts in the repository root; relative paths are the caller's.
const cwd = process.env.INIT_CWD ?? process.cwd();
const dataDir = resolve(cwd, values.data);
const outDir = resolve(cwd, values.out);
if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
  process.stderr.write(`bench:nab: --data ${dataDir} is not a directory\n`);
  process.exit(2);
}
const detectorOptions: DetectorOptions = values.options ? JSON.parse(values.options) : {};

/** NAB timestamps are naive "YYYY-MM-DD HH:MM:SS"; read them as UTC. Other forms go to Date.parse. */
function toMs(text: string): number {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(t) ? `${t.replace(' ', 'T')}Z` : t;
  return Date.parse(iso);
}

function runFile(input: string, output: string): number {
  const lines = readFileSync(input, 'utf8').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const tsCol = header.indexOf('timestamp');
  const valueCol = header.indexOf('value');
  if (tsCol < 0 || valueCol < 0) throw new Error(`${input}: expected a header with timestamp and value`);
  const detector = createDetector(detectorOptions);
  const out = ['timestamp,anomaly_score'];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const cells = line.split(',');
    const ts = cells[tsCol] ?? '';
    const score = detector.update(Number(cells[valueCol]), toMs(ts));
    out.push(`${ts},${score}`);
  }
  writeFileSync(output, `${out.join('\n')}\n`);
  return out.length - 1;
}

let files = 0;
let points = 0;
const started = process.hrtime.bigint();
for (const category of readdirSync(dataDir).sort()) {
  const categoryDir = join(dataDir, category);
  if (!statSync(categoryDir).isDirectory()) continue;
  for (const file of readdirSync(categoryDir).sort()) {
    if (!file.endsWith('.csv')) continue;
    mkdirSync(join(outDir, category), { recursive: true });
    points += runFile(join(categoryDir, file), join(outDir, category, file));
    files++;
  }
}
if (files === 0) {
  process.stderr.write(`bench:nab: no <category>/<file>.csv under ${dataDir}\n`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'detector.json'), `${JSON.stringify({ threshold: DEFAULT_ALERT_THRESHOLD })}\n`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (!values.quiet) {
  process.stdout.write(
    `bench:nab: ${files} files, ${points} points in ${seconds.toFixed(2)} s -> ${outDir} (threshold ${DEFAULT_ALERT_THRESHOLD})\n`,
  );
}
