/**
 * Every metric and attribute name this package emits. All of them are OpenTelemetry semantic-convention
 * names (HTTP metrics, stable since semconv 1.23); the README metrics table is checked against this file.
 */

/** Histogram, seconds: duration of inbound HTTP requests, from the request's start to the response's finish. */
export const METRIC_HTTP_SERVER_REQUEST_DURATION = 'http.server.request.duration' as const;
/** Histogram, seconds: duration of outbound HTTP requests, until the response body ended or the request failed. */
export const METRIC_HTTP_CLIENT_REQUEST_DURATION = 'http.client.request.duration' as const;
/** UpDownCounter, `{request}`: inbound requests started and not yet finished. */
export const METRIC_HTTP_SERVER_ACTIVE_REQUESTS = 'http.server.active_requests' as const;
/** Histogram, bytes: inbound request body size (its `Content-Length`). */
export const METRIC_HTTP_SERVER_REQUEST_BODY_SIZE = 'http.server.request.body.size' as const;
/** Histogram, bytes: response body size (its `Content-Length`, set by the app or by Node for `res.end(body)`). */
export const METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE = 'http.server.response.body.size' as const;

/** The HTTP method, upper case; `_OTHER` for a method outside the known set. */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;
/** The response status code (absent when no response was received or sent). */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code' as const;
/** The route template (`/users/:id`): from the framework, else from the route normaliser; never the raw path. */
export const ATTR_HTTP_ROUTE = 'http.route' as const;
/** `http` or `https`. */
export const ATTR_URL_SCHEME = 'url.scheme' as const;
/** `1.0`, `1.1` or `2`. */
export const ATTR_NETWORK_PROTOCOL_VERSION = 'network.protocol.version' as const;
/** Client side: the host the request was sent to. */
export const ATTR_SERVER_ADDRESS = 'server.address' as const;
/** Client side: the port the request was sent to. */
export const ATTR_SERVER_PORT = 'server.port' as const;
/** The status code as a string for 5xx (server) or 4xx/5xx (client), the error code (`ECONNREFUSED`) for a failed request, `aborted` for a request abandoned before its response finished. */
export const ATTR_ERROR_TYPE = 'error.type' as const;

/** Units, as the semantic conventions give them. */
export const UNIT_SECONDS = 's' as const;
export const UNIT_BYTES = 'By' as const;
export const UNIT_REQUESTS = '{request}' as const;

/** The methods kept as they are; any other becomes `_OTHER` (the semantic-convention set, plus QUERY). */
export const KNOWN_HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
] as const;

/** The value of `http.request.method` for a method outside {@link KNOWN_HTTP_METHODS}. */
export const OTHER_METHOD = '_OTHER' as const;
