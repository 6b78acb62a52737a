import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  type Attributes,
  type BatchObservableCallback,
  type Histogram,
  type Meter,
  type ObservableUpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import {
  createFastHistogram,
  type FastHistogram,
  type FastMetricProducerOptions,
  FastPath,
  type ProducerRegistry,
} from '@otel-perf/core';
import { BODY_SIZE_BUCKETS, HTTP_DURATION_BUCKETS } from '@otel-perf/views';
import {
  ACTIVE_SLOTS,
  activeAttributes,
  ClientAttributeCache,
  methodIndex,
  ServerAttributeCache,
  versionIndex,
} from './attributes.js';
import { compilePathMatcher, type ResolvedHttpConfig, resolveConfig } from './config.js';
import { frameworkRoute, kFastifyRoute, RouteNormalizerCache, requestPath } from './route.js';
import {
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
  METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  UNIT_BYTES,
  UNIT_REQUESTS,
  UNIT_SECONDS,
} from './semconv.js';
import type { HttpInstrumentationConfig, HttpViewsOptions } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const SERVER_REQUEST_START = 'http.server.request.start';
const SERVER_RESPONSE_FINISH = 'http.server.response.finish';

/**
 * Set this property to `true` on an `http.Server` whose requests are not the app's traffic (the distro's
 * metrics server sets it): none of its requests are measured, whatever their path.
 */
export const IGNORE_SERVER: unique symbol = Symbol.for('@otel-perf/instrumentation-http.ignore-server');
const CLIENT_REQUEST_START = 'http.client.request.start';
const CLIENT_RESPONSE_FINISH = 'http.client.response.finish';
const CLIENT_REQUEST_ERROR = 'http.client.request.error';
const FASTIFY_HANDLER_START = 'tracing:fastify.request.handler:start';

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
  server?: object & { [IGNORE_SERVER]?: boolean };
}
interface ClientStartMessage {
  request: ClientRequest;
}
interface ClientResponseMessage {
  request: ClientRequest;
  response: IncomingMessage;
}
interface ClientErrorMessage {
  request: ClientRequest;
  error: unknown;
}
interface FastifyHandlerMessage {
  request?: { raw?: object };
  route?: { url?: unknown };
}
/** Node internals read (never written) for body sizes; both have existed since Node 0.x. */
interface OutgoingInternals {
  _contentLength?: number | null;
  _hasBody?: boolean;
}

/** Per-instance state, created in `_updateMetricInstruments` and `enable`, never by field initialisers. */
interface Instruments {
  /** The meter these were created on (observable callbacks are removed from it, not from a newer one). */
  meter: Meter;
  serverDuration: Histogram;
  clientDuration: Histogram;
  requestBodySize: Histogram;
  responseBodySize: Histogram;
  activeRequests: ObservableUpDownCounter;
}

interface Handlers {
  serverStart: (message: unknown) => void;
  serverFinish: (message: unknown) => void;
  clientStart: (message: unknown) => void;
  clientResponse: (message: unknown) => void;
  clientError: (message: unknown) => void;
  fastifyStart: (message: unknown) => void;
  /** `this` is the ServerResponse: one shared listener, no closure per request. */
  serverClose: (this: ServerResponse) => void;
  /** `this` is the client's IncomingMessage. */
  clientClose: (this: IncomingMessage) => void;
  observeActive: BatchObservableCallback;
}

/**
 * HTTP server and client metrics from Node's built-in `diagnostics_channel` HTTP events: nothing is
 * patched, and the cost per request is a timestamp, a cached attribute set and the SDK recordings.
 *
 * Emits `http.server.request.duration`, `http.server.active_requests`, `http.server.request.body.size`,
 * `http.server.response.body.size` and `http.client.request.duration` with semantic-convention names,
 * units and attributes, and `HTTP_DURATION_BUCKETS` / `BODY_SIZE_BUCKETS` as bucket advice. `http.route`
 * comes from express or fastify when they matched a route, else from the route normaliser
 * (`/users/:id`), never from the raw path.
 *
 * @example
 * const instrumentation = new HttpInstrumentation({ ignorePaths: ['/metrics'] });
 * instrumentation.setMeterProvider(meterProvider);
 */
export class HttpInstrumentation extends InstrumentationBase<HttpInstrumentationConfig> {
  // `declare`: the base constructor calls setConfig, _updateMetricInstruments and enable before subclass
  // field initialisers would run, so no field here may have an initialiser (it would wipe that state).
  declare private _resolved: ResolvedHttpConfig;
  declare private _instruments: Instruments | undefined;
  declare private _handlers: Handlers | undefined;
  declare private _serverAttrs: ServerAttributeCache;
  declare private _clientAttrs: ClientAttributeCache;
  declare private _routes: RouteNormalizerCache;
  declare private _ignorePath: ((path: string) => boolean) | undefined;
  declare private _ignoreHosts: Set<string> | undefined;
  /** Active requests per (method, scheme) slot, and which slots were ever used (reported even at 0). */
  declare private _active: Float64Array;
  declare private _activeUsed: Uint8Array;
  declare private _activeAttrs: Attributes[];
  declare private _kStart: symbol;
  declare private _subscribed: boolean;
  /** The fast-path histograms, when `fastPath` is on (else recordings go through the SDK instruments). */
  declare private _fast: FastHistograms | undefined;
  declare private _fastPath: FastPath | undefined;

  constructor(config: HttpInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Merges defaults and validates; throws on an invalid key or value. */
  override setConfig(config: HttpInstrumentationConfig = {}): void {
    const resolved = resolveConfig(config);
    super.setConfig(resolved);
    this._resolved = resolved;
    this._serverAttrs = new ServerAttributeCache(resolved.maxCachedAttributeSets);
    this._clientAttrs = new ClientAttributeCache(resolved.maxCachedAttributeSets);
    this._routes = new RouteNormalizerCache();
    this._ignorePath = compilePathMatcher(resolved.ignorePaths);
    this._ignoreHosts =
      resolved.ignoreOutgoingHosts.length > 0 ? new Set(resolved.ignoreOutgoingHosts) : undefined;
    this._fastPath ??= new FastPath({ name: PACKAGE_NAME, version: PACKAGE_VERSION }, () =>
      this._fast === undefined ? [] : fastList(this._fast),
    );
    this._fast = resolved.fastPath
      ? createFastHistograms(resolved.views, this._fastPath.registry)
      : undefined;
    if (this._subscribed) {
      // Re-subscribe so the server/client switches take effect.
      this._unsubscribe();
      this._subscribe();
    }
  }

  protected override init(): void {}

  /**
   * A `MetricProducer` for ONE reader (pass it in that reader's `metricProducers` option). With `fastPath`
   * on, the HTTP histograms are aggregated here and reach readers only through these producers: give one
   * to every reader of the MeterProvider. With `fastPath` off the producer reports nothing.
   *
   * @example
   * const http = new HttpInstrumentation({ fastPath: true });
   * const reader = new PeriodicExportingMetricReader({ exporter, metricProducers: [http.metricProducer()] });
   */
  metricProducer(options: FastMetricProducerOptions = {}): MetricProducer {
    // setConfig (run by the constructor) created it.
    return (this._fastPath as FastPath).producer(options);
  }

  protected override _updateMetricInstruments(): void {
    const previous = this._instruments;
    const meter = this.meter;
    this._instruments = {
      meter,
      serverDuration: histogram(meter, SERVER_DURATION),
      clientDuration: histogram(meter, CLIENT_DURATION),
      requestBodySize: histogram(meter, REQUEST_BODY_SIZE),
      responseBodySize: histogram(meter, RESPONSE_BODY_SIZE),
      activeRequests: meter.createObservableUpDownCounter(METRIC_HTTP_SERVER_ACTIVE_REQUESTS, {
        description: 'Number of active HTTP server requests.',
        unit: UNIT_REQUESTS,
        valueType: ValueType.INT,
      }),
    };
    if (this._subscribed && this._handlers && this._resolved.server) {
      if (previous) {
        previous.meter.removeBatchObservableCallback(this._handlers.observeActive, [previous.activeRequests]);
      }
      meter.addBatchObservableCallback(this._handlers.observeActive, [this._instruments.activeRequests]);
    }
  }

  override enable(): void {
    if (this._subscribed) return;
    this._enabled = true;
    this._subscribe();
  }

  override disable(): void {
    if (!this._subscribed) return;
    this._enabled = false;
    this._unsubscribe();
  }

  override isEnabled(): boolean {
    return this._subscribed === true;
  }

  private _subscribe(): void {
    this._kStart ??= Symbol('otel-perf.http.start');
    this._active ??= new Float64Array(ACTIVE_SLOTS);
    this._activeUsed ??= new Uint8Array(ACTIVE_SLOTS);
    this._activeAttrs ??= Array.from({ length: ACTIVE_SLOTS }, (_, i) => activeAttributes(i));
    this._handlers ??= this._createHandlers();
    const h = this._handlers;
    const { server, client } = this._resolved;
    if (server) {
      dc.subscribe(SERVER_REQUEST_START, h.serverStart);
      dc.subscribe(SERVER_RESPONSE_FINISH, h.serverFinish);
      dc.subscribe(FASTIFY_HANDLER_START, h.fastifyStart);
      if (this._instruments) {
        this._instruments.meter.addBatchObservableCallback(h.observeActive, [
          this._instruments.activeRequests,
        ]);
      }
    }
    if (client) {
      dc.subscribe(CLIENT_REQUEST_START, h.clientStart);
      dc.subscribe(CLIENT_RESPONSE_FINISH, h.clientResponse);
      dc.subscribe(CLIENT_REQUEST_ERROR, h.clientError);
    }
    this._subscribed = true;
  }

  private _unsubscribe(): void {
    const h = this._handlers;
    if (!h) return;
    // Unsubscribing a handler that is not subscribed is a no-op, so this is safe for any switch state.
    dc.unsubscribe(SERVER_REQUEST_START, h.serverStart);
    dc.unsubscribe(SERVER_RESPONSE_FINISH, h.serverFinish);
    dc.unsubscribe(FASTIFY_HANDLER_START, h.fastifyStart);
    dc.unsubscribe(CLIENT_REQUEST_START, h.clientStart);
    dc.unsubscribe(CLIENT_RESPONSE_FINISH, h.clientResponse);
    dc.unsubscribe(CLIENT_REQUEST_ERROR, h.clientError);
    if (this._instruments) {
      this._instruments.meter.removeBatchObservableCallback(h.observeActive, [
        this._instruments.activeRequests,
      ]);
    }
    this._subscribed = false;
  }

  private _createHandlers(): Handlers {
    const self = this;
    return {
      serverStart: (message) => {
        try {
          self._onServerStart(message as ServerMessage);
        } catch (err) {
          self._diag.error('http.server.request.start handler failed', err);
        }
      },
      serverFinish: (message) => {
        try {
          const { request, response } = message as ServerMessage;
          self._onServerEnd(request, response, false);
        } catch (err) {
          self._diag.error('http.server.response.finish handler failed', err);
        }
      },
      serverClose(this: ServerResponse) {
        try {
          const req = this.req;
          if (req !== undefined) self._onServerEnd(req, this, true);
        } catch (err) {
          self._diag.error('server response close handler failed', err);
        }
      },
      fastifyStart: (message) => {
        try {
          const m = message as FastifyHandlerMessage;
          const raw = m.request?.raw as (object & { [kFastifyRoute]?: string }) | undefined;
          const url = m.route?.url;
          if (raw !== undefined && typeof url === 'string') raw[kFastifyRoute] = url;
        } catch (err) {
          self._diag.error('fastify handler channel subscriber failed', err);
        }
      },
      clientStart: (message) => {
        try {
          self._onClientStart((message as ClientStartMessage).request);
        } catch (err) {
          self._diag.error('http.client.request.start handler failed', err);
        }
      },
      clientResponse: (message) => {
        try {
          const { request, response } = message as ClientResponseMessage;
          if ((request as unknown as Record<symbol, unknown>)[self._kStart] !== undefined) {
            response.on('close', self._handlers?.clientClose as () => void);
          }
        } catch (err) {
          self._diag.error('http.client.response.finish handler failed', err);
        }
      },
      clientClose(this: IncomingMessage) {
        try {
          const req = (this as IncomingMessage & { req?: ClientRequest }).req;
          if (req !== undefined) self._onClientResponseEnd(req, this);
        } catch (err) {
          self._diag.error('client response close handler failed', err);
        }
      },
      clientError: (message) => {
        try {
          const { request, error } = message as ClientErrorMessage;
          self._onClientError(request, error);
        } catch (err) {
          self._diag.error('http.client.request.error handler failed', err);
        }
      },
      observeActive: (result) => {
        const instruments = self._instruments;
        if (!instruments) return;
        const active = self._active;
        const used = self._activeUsed;
        for (let i = 0; i < ACTIVE_SLOTS; i++) {
          if (used[i] === 1) {
            result.observe(instruments.activeRequests, active[i] as number, self._activeAttrs[i]);
          }
        }
      },
    };
  }

  private _onServerStart({ request, response, socket, server }: ServerMessage): void {
    if (server?.[IGNORE_SERVER] === true) return;
    const ignore = this._ignorePath;
    if (ignore?.(requestPath(request))) return;
    (request as unknown as Record<symbol, number>)[this._kStart] = performance.now();
    const slot = (methodIndex(request.method) << 1) | ((socket as { encrypted?: boolean }).encrypted ? 1 : 0);
    this._active[slot] = (this._active[slot] as number) + 1;
    this._activeUsed[slot] = 1;
    response.on('close', (this._handlers as Handlers).serverClose);
  }

  /** Records a request once: at the response's finish, or at its close if it never finished (aborted). */
  private _onServerEnd(request: IncomingMessage, response: ServerResponse, closed: boolean): void {
    const holder = request as unknown as Record<symbol, number | undefined>;
    const start = holder[this._kStart];
    if (start === undefined) return;
    holder[this._kStart] = undefined;
    const duration = (performance.now() - start) / 1000;
    const method = methodIndex(request.method);
    const https = (request.socket as { encrypted?: boolean } | null)?.encrypted === true;
    const slot = (method << 1) | (https ? 1 : 0);
    this._active[slot] = (this._active[slot] as number) - 1;
    const instruments = this._instruments;
    if (instruments === undefined) return;

    let route = frameworkRoute(request);
    if (route === undefined && this._resolved.routeNormalization)
      route = this._routes.route(requestPath(request));
    const status = closed && !response.headersSent ? 0 : response.statusCode;
    const version = request.httpVersion;
    const attrs = this._serverAttrs.get(method, route, status, versionIndex(version), version, https, closed);
    const fast = this._fast;
    if (fast !== undefined) fast.serverDuration.record(duration, attrs);
    else instruments.serverDuration.record(duration, attrs);

    if (this._resolved.bodySize && !closed) {
      const out = response as unknown as OutgoingInternals;
      const size = out._hasBody === false ? 0 : out._contentLength;
      if (typeof size === 'number' && size >= 0) {
        if (fast !== undefined) fast.responseBodySize.record(size, attrs);
        else instruments.responseBodySize.record(size, attrs);
      }
      const requestSize = contentLength(request.rawHeaders);
      if (requestSize !== undefined) {
        if (fast !== undefined) fast.requestBodySize.record(requestSize, attrs);
        else instruments.requestBodySize.record(requestSize, attrs);
      }
    }
  }

  private _recordClient(duration: number, attrs: Attributes): void {
    if (this._fast !== undefined) this._fast.clientDuration.record(duration, attrs);
    else this._instruments?.clientDuration.record(duration, attrs);
  }

  private _onClientStart(request: ClientRequest): void {
    const hosts = this._ignoreHosts;
    if (hosts !== undefined) {
      const authority = authorityOf(request);
      if (hosts.has(authority) || hosts.has(request.host)) return;
    }
    (request as unknown as Record<symbol, number>)[this._kStart] = performance.now();
  }

  private _takeClientStart(request: ClientRequest): number | undefined {
    const holder = request as unknown as Record<symbol, number | undefined>;
    const start = holder[this._kStart];
    if (start !== undefined) holder[this._kStart] = undefined;
    return start;
  }

  private _onClientResponseEnd(request: ClientRequest, response: IncomingMessage): void {
    const start = this._takeClientStart(request);
    if (start === undefined || this._instruments === undefined) return;
    const duration = (performance.now() - start) / 1000;
    const https = request.protocol === 'https:';
    const version = response.httpVersion;
    let errorType: string | undefined;
    if (!response.complete) {
      const errored = (response as { errored?: { code?: unknown } | null }).errored;
      errorType = typeof errored?.code === 'string' ? errored.code : 'aborted';
    }
    const attrs = this._clientAttrs.response(
      authorityOf(request),
      https,
      methodIndex(request.method),
      response.statusCode ?? 0,
      versionIndex(version),
      version,
      errorType,
    );
    this._recordClient(duration, attrs);
  }

  private _onClientError(request: ClientRequest, error: unknown): void {
    const start = this._takeClientStart(request);
    if (start === undefined || this._instruments === undefined) return;
    const duration = (performance.now() - start) / 1000;
    const attrs = this._clientAttrs.error(
      authorityOf(request),
      request.protocol === 'https:',
      methodIndex(request.method),
      errorTypeOf(error),
    );
    this._recordClient(duration, attrs);
  }
}

/** The four histograms: name, description, unit, value type and default buckets, defined once. */
const SERVER_DURATION = {
  name: METRIC_HTTP_SERVER_REQUEST_DURATION,
  description: 'Duration of HTTP server requests.',
  unit: UNIT_SECONDS,
  valueType: ValueType.DOUBLE,
  buckets: HTTP_DURATION_BUCKETS,
} as const;
const CLIENT_DURATION = {
  name: METRIC_HTTP_CLIENT_REQUEST_DURATION,
  description: 'Duration of HTTP client requests.',
  unit: UNIT_SECONDS,
  valueType: ValueType.DOUBLE,
  buckets: HTTP_DURATION_BUCKETS,
} as const;
const REQUEST_BODY_SIZE = {
  name: METRIC_HTTP_SERVER_REQUEST_BODY_SIZE,
  description: 'Size of HTTP server request bodies.',
  unit: UNIT_BYTES,
  valueType: ValueType.INT,
  buckets: BODY_SIZE_BUCKETS,
} as const;
const RESPONSE_BODY_SIZE = {
  name: METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE,
  description: 'Size of HTTP server response bodies.',
  unit: UNIT_BYTES,
  valueType: ValueType.INT,
  buckets: BODY_SIZE_BUCKETS,
} as const;
type HistogramSpec =
  | typeof SERVER_DURATION
  | typeof CLIENT_DURATION
  | typeof REQUEST_BODY_SIZE
  | typeof RESPONSE_BODY_SIZE;

function histogram(meter: Meter, spec: HistogramSpec): Histogram {
  return meter.createHistogram(spec.name, {
    description: spec.description,
    unit: spec.unit,
    valueType: spec.valueType,
    advice: { explicitBucketBoundaries: [...spec.buckets] },
  });
}

interface FastHistograms {
  serverDuration: FastHistogram;
  clientDuration: FastHistogram;
  requestBodySize: FastHistogram;
  responseBodySize: FastHistogram;
}

function fastList(f: FastHistograms): FastHistogram[] {
  return [f.serverDuration, f.responseBodySize, f.requestBodySize, f.clientDuration];
}

/** The fast-path histograms with the views applied as `createViews` would (buckets, allow-list, series cap). */
function createFastHistograms(views: HttpViewsOptions, registry: ProducerRegistry): FastHistograms {
  const make = (spec: HistogramSpec): FastHistogram =>
    createFastHistogram(
      {
        name: spec.name,
        description: spec.description,
        unit: spec.unit,
        valueType: spec.valueType,
        advice: { explicitBucketBoundaries: [...spec.buckets] },
      },
      views,
      registry,
    );
  return {
    serverDuration: make(SERVER_DURATION),
    clientDuration: make(CLIENT_DURATION),
    requestBodySize: make(REQUEST_BODY_SIZE),
    responseBodySize: make(RESPONSE_BODY_SIZE),
  };
}

let kAuthority: symbol | null | undefined;

/** `host[:port]` the request connects to (Node's internal authority, else the Host header, else host). */
function authorityOf(request: ClientRequest): string {
  if (kAuthority === undefined) {
    kAuthority = Object.getOwnPropertySymbols(request).find((s) => s.description === 'kAuthority') ?? null;
  }
  if (kAuthority !== null) {
    const a = (request as unknown as Record<symbol, unknown>)[kAuthority];
    if (typeof a === 'string' && a.length > 0) return a;
  }
  const host = request.getHeader('host');
  return typeof host === 'string' ? host : request.host;
}

/** A low-cardinality error type: the Node error code (`ECONNREFUSED`), else the error's name. */
function errorTypeOf(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0 && name.length <= 64) return name;
  }
  return '_OTHER';
}

/** The request's Content-Length, read from rawHeaders (cheaper than materialising `req.headers`). */
function contentLength(raw: string[]): number | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      const n = Number(raw[i + 1]);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    }
  }
  return undefined;
}
