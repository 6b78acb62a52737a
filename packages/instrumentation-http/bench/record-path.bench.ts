// Where the per-request cost of HTTP metrics goes, in-process (no sockets): what one SDK histogram
// recording costs with a cached, frozen attribute set, how much of that is the SDK hashing the attributes
// (it serialises them on every record, whatever the caller caches), and our own attribute-set lookup.
// Run: `npm run bench -- instrumentation-http`.
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { measureNsPerOp, runBench } from '@otel-perf/bench';
import { createViews, HTTP_DURATION_BUCKETS } from '@otel-perf/views';

class PullReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const attrs = Object.freeze({
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'network.protocol.version': '1.1',
  'http.response.status_code': 200,
  'http.route': '/users/:id',
});

function histogram(withViews: boolean) {
  const provider = new MeterProvider({
    readers: [new PullReader()],
    views: withViews ? createViews({}) : [],
  });
  return provider.getMeter('bench').createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...HTTP_DURATION_BUCKETS] },
  });
}
const plain = histogram(false);
const viewed = histogram(true);

/** What sdk-metrics 3.1 runs on every record (`hashAttributes` in its utils). */
function sdkHash(a: Record<string, unknown>): string {
  const keys = Object.keys(a).sort();
  return JSON.stringify(keys.map((k) => [k, a[k]]));
}

// Our cache: a (route → (integer key → frozen set)) lookup, as in src/attributes.ts.
const byRoute = new Map([['/users/:id', new Map([[(200 << 6) | 1, attrs]])]]);

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 400);
await runBench({
  title: 'instrumentation-http: cost of one recording (in-process)',
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  metric: { name: 'ns/op', better: 'lower' },
  cases: [
    {
      name: 'performance.now()',
      baseline: true,
      run: () => measureNsPerOp(() => performance.now(), { durationMs }),
    },
    {
      name: 'cached attribute set lookup (ours)',
      run: () => measureNsPerOp(() => byRoute.get('/users/:id')?.get((200 << 6) | 1), { durationMs }),
    },
    {
      name: 'SDK attribute hash (per record)',
      run: () => measureNsPerOp(() => sdkHash(attrs), { durationMs }),
    },
    {
      name: 'histogram.record, no views',
      run: () => measureNsPerOp(() => plain.record(0.012, attrs), { durationMs }),
    },
    {
      name: 'histogram.record, distro views',
      run: () => measureNsPerOp(() => viewed.record(0.012, attrs), { durationMs }),
    },
  ],
});
