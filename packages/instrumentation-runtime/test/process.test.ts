import { createServer } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { close, findMetric, listen, pointsWith, sumValues } from '@otel-perf/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { busy, type Harness, harness, pointValue, sleep } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

describe('CPU', () => {
  it('process.cpu.time grows by about the length of a CPU-bound task, and utilization sees it', async () => {
    h = harness({ statsWindowMillis: 2000 });
    const { metrics } = h;
    const before = await metrics.collect();
    const cpu = (rm: typeof before) =>
      (pointValue(rm, 'process.cpu.time', { 'cpu.mode': 'user' }) ?? 0) +
      (pointValue(rm, 'process.cpu.time', { 'cpu.mode': 'system' }) ?? 0);
    // The task is bounded by this thread's own CPU time (not wall time: the machine is shared).
    const threadCpu = () => {
      const u = process.threadCpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const start = threadCpu();
    while (threadCpu() - start < 0.3) busy(5);
    const after = await metrics.collect();
    expect(cpu(after) - cpu(before)).toBeGreaterThanOrEqual(0.3);
    expect(cpu(after) - cpu(before)).toBeLessThan(3);
    const user = pointValue(after, 'process.cpu.utilization', { 'cpu.mode': 'user' }) ?? 0;
    expect(user).toBeGreaterThan(0);
    expect(user).toBeLessThanOrEqual(1);
  });
});

describe('memory', () => {
  it('reports the heap per space, the heap limit, RSS, external and array buffers', async () => {
    h = harness();
    const { metrics } = h;
    const rm = await metrics.collect();
    const used = findMetric(rm, 'v8js.memory.heap.used');
    const spaces = pointsWith(used).map((p) => p.attributes['v8js.heap.space.name']);
    expect(spaces).toEqual(expect.arrayContaining(['new_space', 'old_space', 'code_space']));
    const heap = getHeapStatistics();
    expect(sumValues(used)).toBeGreaterThan(heap.used_heap_size * 0.5);
    expect(sumValues(used)).toBeLessThan(heap.total_heap_size * 1.5);
    expect(pointValue(rm, 'v8js.memory.heap.limit')).toBe(heap.heap_size_limit);
    for (const name of [
      'v8js.memory.heap.space.size',
      'v8js.memory.heap.space.available_size',
      'v8js.memory.heap.space.physical_size',
    ]) {
      expect(pointsWith(findMetric(rm, name)).length, name).toBe(spaces.length);
    }
    expect(pointValue(rm, 'process.memory.usage')).toBeGreaterThan(10 * 1024 * 1024);
    expect(pointValue(rm, 'nodejs.memory.external')).toBeGreaterThan(0);

    const buffers = pointValue(rm, 'nodejs.memory.array_buffers') ?? 0;
    const big = Buffer.alloc(64 * 1024 * 1024, 1);
    const after = await metrics.collect();
    expect((pointValue(after, 'nodejs.memory.array_buffers') ?? 0) - buffers).toBeGreaterThanOrEqual(
      big.length * 0.9,
    );
  });
});

describe('active resources', () => {
  it('counts a listening server by type, and reports 0 once it is closed', async () => {
    h = harness();
    const { metrics } = h;
    const before =
      pointValue(await metrics.collect(), 'v8js.resource.active', {
        'v8js.resource.type': 'TCPServerWrap',
      }) ?? 0;
    const server = createServer();
    await listen(server);
    const during = pointValue(await metrics.collect(), 'v8js.resource.active', {
      'v8js.resource.type': 'TCPServerWrap',
    });
    expect(during).toBe(before + 1);
    await close(server);
    await sleep(10);
    const after = pointValue(await metrics.collect(), 'v8js.resource.active', {
      'v8js.resource.type': 'TCPServerWrap',
    });
    expect(after).toBe(before);
  });

  it('reports nothing when activeResources is false', async () => {
    h = harness({ activeResources: false });
    expect(findMetric(await h.metrics.collect(), 'v8js.resource.active')).toBeUndefined();
  });
});
