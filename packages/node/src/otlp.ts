import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from './types.js';

type Otlp = ResolvedConfig['otlp'];
type Compression = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>['compression'];

const TEMPORALITY_PREFERENCE = { delta: 0, cumulative: 1, lowmemory: 2 } as const;

/** The OTLP exporter of the configured protocol; gRPC (and @grpc/grpc-js) load only when chosen. */
function createExporter(otlp: Otlp, timeoutMillis: number): PushMetricExporter {
  const common = {
    url: otlp.endpoint,
    // The exporters' CompressionAlgorithm enum has exactly these string values.
    compression: otlp.compression as Compression,
    timeoutMillis,
    temporalityPreference: TEMPORALITY_PREFERENCE[otlp.temporalityPreference],
  } as const;
  switch (otlp.protocol) {
    case 'http/json':
      return new JsonExporter({ ...common, headers: otlp.headers, httpAgentOptions: unrefAgent });
    case 'http/protobuf':
      return new ProtoExporter({ ...common, headers: otlp.headers, httpAgentOptions: unrefAgent });
    case 'grpc': {
      const require = createRequire(import.meta.url);
      const grpcExporterPath = require.resolve('@opentelemetry/exporter-metrics-otlp-grpc');
      const { OTLPMetricExporter } = require(
        grpcExporterPath,
      ) as typeof import('@opentelemetry/exporter-metrics-otlp-grpc');
      // @grpc/grpc-js is the gRPC exporter's dependency; resolve it from there (it is not ours).
      const base = createRequire(grpcExporterPath).resolve('@opentelemetry/otlp-grpc-exporter-base');
      const { Metadata } = createRequire(base)('@grpc/grpc-js') as { Metadata: new () => GrpcMetadata };
      const metadata = new Metadata();
      for (const [k, v] of Object.entries(otlp.headers)) metadata.set(k, v);
      return new OTLPMetricExporter({ ...common, metadata: metadata as never });
    }
  }
}

interface GrpcMetadata {
  set(key: string, value: string): void;
}

/** Unrefs a socket the agent hands out, so it never keeps the process alive, even mid-request. */
function unref(socket: Duplex | null | undefined): void {
  (socket as { unref?: () => void } | null | undefined)?.unref?.();
}

class UnrefHttpAgent extends http.Agent {
  override createConnection(...args: Parameters<http.Agent['createConnection']>) {
    const socket = super.createConnection(...args);
    unref(socket);
    return socket;
  }
  // A reused keep-alive socket is ref'd again by the agent; undo that.
  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    super.reuseSocket(socket, request);
    unref(socket);
  }
}

class UnrefHttpsAgent extends https.Agent {
  override createConnection(...args: Parameters<http.Agent['createConnection']>) {
    const socket = super.createConnection(...args);
    unref(socket);
    return socket;
  }
  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    super.reuseSocket(socket, request);
    unref(socket);
  }
}

const agents = new Map<string, http.Agent>();
function unrefAgent(protocol: string): http.Agent {
  let agent = agents.get(protocol);
  if (!agent) {
    agent =
      protocol === 'https:'
        ? new UnrefHttpsAgent({ keepAlive: true })
        : new UnrefHttpAgent({ keepAlive: true });
    agents.set(protocol, agent);
  }
  return agent;
}

/**
 * The OTLP exporter the periodic reader gets. An export in flight must not keep a finishing process
 * alive, so:
 * - the HTTP exporters use sockets that are unref'd;
 * - the reader is told at once that an export was handed over (its own timeout timer is ref'd and would
 *   otherwise hold the process for the whole export); failures are reported here, to diag;
 * - one export, retries included, may take at most `budgetMillis` (the smaller of the OTLP timeout and
 *   the shutdown timeout), which bounds the exporter's own (ref'd) retry timers;
 * - with cumulative temporality, a periodic export that finds the previous one still in flight is held
 *   back (the next one carries the same data, newer), so slow exports never chain into each other. The
 *   held-back data is sent by `forceFlush()`.
 * `forceFlush()` waits for every export handed over, which is what the final flushes rely on.
 */
export class OtlpExporter implements PushMetricExporter {
  private readonly inner: PushMetricExporter;
  private readonly pending = new Set<Promise<void>>();
  private readonly cumulative: boolean;
  private heldBack: ResourceMetrics | undefined;

  constructor(otlp: Otlp, budgetMillis: number) {
    this.inner = createExporter(otlp, Math.max(1, budgetMillis));
    this.cumulative = otlp.temporalityPreference === 'cumulative';
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (this.cumulative && this.pending.size > 0) {
      this.heldBack = metrics;
    } else {
      this.heldBack = undefined;
      void this.send(metrics);
    }
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  private send(metrics: ResourceMetrics): Promise<void> {
    const done = new Promise<void>((resolve) => {
      try {
        this.inner.export(metrics, (result) => {
          if (result.code !== ExportResultCode.SUCCESS) {
            diag.error('otel-perf: OTLP metrics export failed', result.error ?? 'unknown error');
          }
          resolve();
        });
      } catch (err) {
        diag.error('otel-perf: OTLP metrics export threw', err);
        resolve();
      }
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return done;
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return (this.inner.selectAggregationTemporality as (t: InstrumentType) => AggregationTemporality)(
      instrumentType,
    );
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return (this.inner.selectAggregation as (t: InstrumentType) => AggregationOption)(instrumentType);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
    const held = this.heldBack;
    this.heldBack = undefined;
    if (held) await this.send(held);
    await this.inner.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.inner.shutdown();
  }
}
