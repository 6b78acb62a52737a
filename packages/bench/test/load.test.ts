import { describe, expect, it } from 'vitest';
import { loadTest, parseWrkOutput } from '../src/index.js';

const WRK_OUTPUT = `Running 5s test @ http://127.0.0.1:40123/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  312.45us  12.10ms   91.20%
    Req/Sec    49.51k     2.10k   52.30k    80.00%
  Latency Distribution
     50%  840.00us
     75%    1.10ms
     90%    1.40ms
     99%    2.31ms
  246391 requests in 5.00s, 30.08MB read
Requests/sec:  49278.20
Transfer/sec:      6.02MB
`;

describe('parseWrkOutput', () => {
  it('reads throughput and latency percentiles in milliseconds', () => {
    const r = parseWrkOutput(WRK_OUTPUT);
    expect(r.requestsPerSec).toBe(49278.2);
    expect(r.p99Ms).toBeCloseTo(2.31, 12);
    expect(r.p50Ms).toBeCloseTo(0.84, 12);
    expect(r.requests).toBe(246391);
    expect(r.errors).toBe(0);
  });
  it('converts microseconds and seconds', () => {
    const r = parseWrkOutput(WRK_OUTPUT.replace('2.31ms', '950.00us').replace('840.00us', '1.50s'));
    expect(r.p99Ms).toBeCloseTo(0.95, 12);
    expect(r.p50Ms).toBe(1500);
  });
  it('counts socket errors and non-2xx responses', () => {
    const r = parseWrkOutput(
      WRK_OUTPUT.replace(
        'Requests/sec',
        '  Socket errors: connect 0, read 3, write 0, timeout 2\n  Non-2xx or 3xx responses: 10\nRequests/sec',
      ),
    );
    expect(r.errors).toBe(15);
  });
  it('throws on output without a latency distribution', () => {
    expect(() => parseWrkOutput(WRK_OUTPUT.replace(/ {5}99%.*\n/, ''))).toThrow(/latency distribution/);
  });
});

describe('loadTest', () => {
  it('refuses a URL that is not loopback', async () => {
    await expect(loadTest({ url: 'http://example.com/' })).rejects.toThrow(/loopback/);
  });
});
