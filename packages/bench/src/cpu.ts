import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux kernel Node supports

/**
 * CPU time (user + system, all threads) a process has used so far, in milliseconds, from
 * `/proc/<pid>/stat` (Linux only; 10 ms resolution). Read it before and after a load run to get the
 * server's CPU per request, a figure far less sensitive to a noisy shared machine than throughput.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`processCpuMs: cannot read ${stat}`);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
