import type { BenchMetric, BenchResult, MetricSummary } from './types.js';

/** A number with about four significant figures and thousands separators (`61,873`, `12.35`, `0.0421`). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a';
}

function formatDelta(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  const pct = (r - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function table(
  metric: BenchMetric,
  rows: { name: string; baseline: boolean; summary: MetricSummary }[],
): string {
  const header = ['case', `median ${metric.name}`, 'min–max', 'ratio', 'delta'];
  const body = rows.map(({ name, baseline, summary }) => [
    baseline ? `${name} (baseline)` : name,
    formatNumber(summary.median),
    `${formatNumber(summary.min)}–${formatNumber(summary.max)}`,
    formatRatio(summary.ratio),
    baseline ? '' : formatDelta(summary.ratio),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The printed report: a title line, one Markdown table per metric, and the run's conditions. */
export function formatResult(result: BenchResult): string {
  const better = (m: BenchMetric) => `${m.name}, ${m.better} is better`;
  const parts = [
    `\n## ${result.title}`,
    `${result.rounds} interleaved rounds${result.warmupRounds ? ` (+${result.warmupRounds} warm-up)` : ''}, ` +
      `medians; ratio = median / median of "${result.baseline}"`,
    '',
    `${better(result.metric)}:`,
    table(
      result.metric,
      result.cases.map((c) => ({ name: c.name, baseline: c.baseline, summary: c })),
    ),
  ];
  for (const m of result.extraMetrics) {
    const rows = result.cases.flatMap((c) => {
      const summary = c.extra[m.name];
      return summary ? [{ name: c.name, baseline: c.baseline, summary }] : [];
    });
    parts.push('', `${better(m)}:`, rows.length > 0 ? table(m, rows) : '(no case returned this metric)');
  }
  const { machine } = result;
  parts.push(
    '',
    `node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, load ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}, ` +
      `${(result.durationMs / 1000).toFixed(1)} s${result.file ? `; ${result.file}` : ''}`,
    '',
  );
  return parts.join('\n');
}
