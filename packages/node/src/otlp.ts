import { createRequire } from 'node:module';
import type { ExportResult } from '@opentelemetry/core';
import {
  CumulativeTemporalitySelector,
  DeltaTemporalitySelector,
  OTLPMetricExporter as JsonExporter,
  LowMemoryTemporalitySelector,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type {
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from './types.js';

type Otlp = ResolvedConfig['otlp'];
type Compression = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>['compression'];

const TEMPORALITY = {
  cumulative: CumulativeTemporalitySelector,
  delta: DeltaTemporalitySelector,
  lowmemory: LowMemoryTemporalitySelector,
} as const;

const TEMPORALITY_PREFERENCE = { delta: 0, cumulative: 1, lowmemory: 2 } as const;

/** One OTLP exporter for the configured protocol. gRPC (and @grpc/grpc-js) load only when chosen. */
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
      return new JsonExporter({ ...common, headers: otlp.headers });
    case 'http/protobuf':
      return new ProtoExporter({ ...common, headers: otlp.headers });
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

/**
 * The exporter the periodic reader uses. Exports go through an exporter with the configured timeout until
 * `finalMode()`; after that through a second one whose budget (retries included) is the shutdown timeout,
 * so a final flush to an unreachable endpoint cannot hold the process longer than that.
 */
export class OtlpExporter implements PushMetricExporter {
  private readonly normal: PushMetricExporter;
  private final: PushMetricExporter | undefined;
  private readonly selector: (t: InstrumentType) => AggregationTemporality;

  constructor(
    private readonly otlp: Otlp,
    private readonly finalTimeoutMillis: number,
  ) {
    this.normal = createExporter(otlp, otlp.timeoutMillis);
    this.selector = TEMPORALITY[otlp.temporalityPreference];
  }

  /** From now on, exports use the short final budget. */
  finalMode(): void {
    this.final ??= createExporter(
      this.otlp,
      Math.max(1, Math.min(this.otlp.timeoutMillis, this.finalTimeoutMillis)),
    );
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    (this.final ?? this.normal).export(metrics, resultCallback);
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.selector(instrumentType);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([this.normal.forceFlush(), this.final?.forceFlush()]);
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.normal.shutdown(), this.final?.shutdown()]);
  }
}
