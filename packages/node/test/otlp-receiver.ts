/**
 * An OTLP/HTTP metrics receiver for tests: accepts `POST /v1/metrics` (protobuf or JSON), decodes every
 * request with protobufjs against the OTLP metrics schema below, and keeps the decoded requests.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { close, listen } from '@otel-perf/test-utils';
import protobuf from 'protobufjs';

// The subset of opentelemetry/proto (collector/metrics/v1, metrics/v1, common/v1, resource/v1) the tests
// read; field numbers as in the specification. Fields not listed are skipped by the decoder.
const OTLP_METRICS_PROTO = `
syntax = "proto3";
package otlp;

message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message InstrumentationScope { string name = 1; string version = 2; }
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message NumberDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  optional double sum = 5;
  repeated fixed64 bucket_counts = 6;
  repeated double explicit_bounds = 7;
  optional double min = 11;
  optional double max = 12;
}
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
}
`;

const root = protobuf.parse(OTLP_METRICS_PROTO, { keepCase: false }).root;
const RequestType = root.lookupType('otlp.ExportMetricsServiceRequest');

export interface OtlpAttribute {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; intValue?: number; doubleValue?: number };
}
export interface OtlpHistogramPoint {
  attributes: OtlpAttribute[];
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
}
export interface OtlpMetric {
  name: string;
  unit: string;
  histogram?: { dataPoints: OtlpHistogramPoint[]; aggregationTemporality: number };
  sum?: { dataPoints: { attributes: OtlpAttribute[]; asDouble?: number; asInt?: number }[] };
}
export interface OtlpRequest {
  resourceMetrics: {
    resource?: { attributes: OtlpAttribute[] };
    scopeMetrics: { scope?: { name: string }; metrics: OtlpMetric[] }[];
  }[];
}

/** Decodes an OTLP protobuf `ExportMetricsServiceRequest`. */
export function decodeMetricsRequest(body: Uint8Array): OtlpRequest {
  const message = RequestType.decode(body);
  return RequestType.toObject(message, { longs: Number, arrays: true, defaults: false }) as OtlpRequest;
}

/** Attributes as a plain object. */
export function attributesOf(attrs: readonly OtlpAttribute[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attrs) {
    out[key] = value?.stringValue ?? value?.intValue ?? value?.doubleValue ?? value?.boolValue;
  }
  return out;
}

export interface OtlpReceiver extends AsyncDisposable {
  url: string;
  requests: { contentType: string | undefined; headers: IncomingHttpHeaders; body: OtlpRequest }[];
  /** Every metric with this name across all requests, newest last. */
  metrics(name: string): { metric: OtlpMetric; resource: Record<string, unknown> }[];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts a receiver on 127.0.0.1 and a port from the OS. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    let raw = await readBody(req);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const contentType = req.headers['content-type'];
    const body = contentType?.includes('json')
      ? (JSON.parse(raw.toString('utf8')) as OtlpRequest)
      : decodeMetricsRequest(raw);
    requests.push({ contentType, headers: req.headers, body });
    res.statusCode = 200;
    res.setHeader(
      'content-type',
      contentType?.includes('json') ? 'application/json' : 'application/x-protobuf',
    );
    res.end(contentType?.includes('json') ? '{}' : Buffer.alloc(0));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    metrics(name) {
      const out: { metric: OtlpMetric; resource: Record<string, unknown> }[] = [];
      for (const { body } of requests) {
        for (const rm of body.resourceMetrics ?? []) {
          for (const sm of rm.scopeMetrics ?? []) {
            for (const m of sm.metrics ?? []) {
              if (m.name === name) out.push({ metric: m, resource: attributesOf(rm.resource?.attributes) });
            }
          }
        }
      }
      return out;
    },
    [Symbol.asyncDispose]: () => close(server),
  };
}
