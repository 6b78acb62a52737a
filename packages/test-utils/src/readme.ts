import { readFileSync } from 'node:fs';

/**
 * The metric names listed in a README's metrics table: every table row whose first cell is a backticked name
 * under a heading containing "Metrics". Used to check a package README against its `semconv.ts`.
 */
export function readmeMetricNames(readmePath: string): string[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const names: string[] = [];
  let inMetrics = false;
  for (const line of lines) {
    if (/^#+\s/.test(line)) inMetrics = /metrics/i.test(line);
    if (!inMetrics) continue;
    const m = line.match(/^\|\s*`([a-z0-9_.]+)`/i);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}
