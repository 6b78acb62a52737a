import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
  KNOWN_HTTP_METHODS,
  OTHER_METHOD,
} from './semconv.js';

/**
 * Attribute sets are built once per distinct (method, route, status, …) and reused: the hot path turns a
 * request into a small integer key and looks the frozen set up, instead of building an object per
 * recording. Frozen sets also let `@otel-perf/views` guards memoise by identity.
 */

/** Index of `_OTHER` in the method table. */
const OTHER_INDEX = KNOWN_HTTP_METHODS.length;
/** Method names by index; the last is `_OTHER`. */
export const METHOD_NAMES: readonly string[] = [...KNOWN_HTTP_METHODS, OTHER_METHOD];
const METHOD_INDEX = new Map<string, number>(KNOWN_HTTP_METHODS.map((m, i) => [m, i]));

/** The index of a request method in {@link METHOD_NAMES}: known methods (any case) as is, others `_OTHER`. */
export function methodIndex(method: string | undefined): number {
  if (method === undefined) return 0; // Node's default method is GET
  const i = METHOD_INDEX.get(method);
  if (i !== undefined) return i;
  return METHOD_INDEX.get(method.toUpperCase()) ?? OTHER_INDEX;
}

/** `network.protocol.version` values by index; index 3 means "another version" (not cached). */
const VERSIONS = ['1.1', '1.0', '2.0'] as const;
export function versionIndex(version: string | undefined): number {
  if (version === '1.1') return 0;
  if (version === '1.0') return 1;
  if (version === '2.0') return 2;
  return 3;
}

/** Status values above this are not valid HTTP and are not cached. */
const MAX_STATUS = 999;

/** Server attribute sets by (route, method, status, version, scheme, aborted). */
export class ServerAttributeCache {
  private readonly byRoute = new Map<string, Map<number, Attributes>>();
  private readonly noRoute = new Map<number, Attributes>();
  private size = 0;

  constructor(private readonly maxSize: number) {}

  /**
   * The frozen attribute set of a finished (or aborted) server request. `status` 0 means no status was
   * sent (only for aborted requests).
   */
  get(
    method: number,
    route: string | undefined,
    status: number,
    version: number,
    versionText: string | undefined,
    https: boolean,
    aborted: boolean,
  ): Attributes {
    if (version === 3 || status > MAX_STATUS || status < 0) {
      return build(method, route, status, versionText, https, aborted);
    }
    const key = ((((status << 4) | method) << 2) | version) * 4 + (https ? 2 : 0) + (aborted ? 1 : 0);
    let map: Map<number, Attributes> | undefined;
    if (route === undefined) map = this.noRoute;
    else {
      map = this.byRoute.get(route);
      if (map === undefined) {
        if (this.size >= this.maxSize) return build(method, route, status, versionText, https, aborted);
        map = new Map();
        this.byRoute.set(route, map);
      }
    }
    let attrs = map.get(key);
    if (attrs === undefined) {
      attrs = build(method, route, status, VERSIONS[version], https, aborted);
      if (this.size < this.maxSize) {
        map.set(key, attrs);
        this.size++;
      }
    }
    return attrs;
  }
}

function build(
  method: number,
  route: string | undefined,
  status: number,
  version: string | undefined,
  https: boolean,
  aborted: boolean,
): Attributes {
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: METHOD_NAMES[method],
    [ATTR_URL_SCHEME]: https ? 'https' : 'http',
  };
  if (version !== undefined) attrs[ATTR_NETWORK_PROTOCOL_VERSION] = version;
  if (status > 0) attrs[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  if (route !== undefined) attrs[ATTR_HTTP_ROUTE] = route;
  if (aborted) attrs[ATTR_ERROR_TYPE] = 'aborted';
  else if (status >= 500) attrs[ATTR_ERROR_TYPE] = String(status);
  return Object.freeze(attrs);
}

/** Attribute sets of `http.server.active_requests`: per (method, scheme), as the semantic conventions ask. */
export function activeAttributes(index: number): Attributes {
  return Object.freeze({
    [ATTR_HTTP_REQUEST_METHOD]: METHOD_NAMES[index >> 1],
    [ATTR_URL_SCHEME]: index & 1 ? 'https' : 'http',
  });
}

/** Number of (method, scheme) slots of the active-requests table. */
export const ACTIVE_SLOTS = METHOD_NAMES.length * 2;

interface Authority {
  address: string;
  port: number;
  byKey: Map<number, Attributes>;
  byError: Map<string, Attributes>;
}

/** Splits `host[:port]` / `[v6]:port`; the port defaults from the protocol. */
export function parseAuthority(authority: string, https: boolean): { address: string; port: number } {
  let address = authority;
  let port = https ? 443 : 80;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close !== -1) {
      address = authority.slice(1, close);
      const p = Number(authority.slice(close + 2));
      if (authority.charCodeAt(close + 1) === 58 && Number.isInteger(p) && p > 0) port = p;
    }
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon !== -1 && authority.indexOf(':') === colon) {
      const p = Number(authority.slice(colon + 1));
      address = authority.slice(0, colon);
      if (Number.isInteger(p) && p > 0) port = p;
    }
  }
  return { address, port };
}

/** Client attribute sets by (authority, method, status, version) and by (authority, method, error type). */
export class ClientAttributeCache {
  private readonly byAuthority = new Map<string, Authority>();
  private size = 0;

  constructor(private readonly maxSize: number) {}

  private authority(authority: string, https: boolean): Authority {
    const key = https ? `s:${authority}` : authority;
    let a = this.byAuthority.get(key);
    if (a === undefined) {
      a = { ...parseAuthority(authority, https), byKey: new Map(), byError: new Map() };
      if (this.size < this.maxSize) {
        this.byAuthority.set(key, a);
        this.size++;
      }
    }
    return a;
  }

  /** The attribute set of a request that got a response. */
  response(
    authority: string,
    https: boolean,
    method: number,
    status: number,
    version: number,
    versionText: string | undefined,
    errorType: string | undefined,
  ): Attributes {
    const a = this.authority(authority, https);
    if (errorType !== undefined || version === 3 || status > MAX_STATUS || status < 0) {
      return buildClient(a, method, status, versionText, errorType);
    }
    const key = (((status << 4) | method) << 2) | version;
    let attrs = a.byKey.get(key);
    if (attrs === undefined) {
      attrs = buildClient(a, method, status, VERSIONS[version], undefined);
      if (this.size < this.maxSize) {
        a.byKey.set(key, attrs);
        this.size++;
      }
    }
    return attrs;
  }

  /** The attribute set of a request that failed before or while receiving its response. */
  error(authority: string, https: boolean, method: number, errorType: string): Attributes {
    const a = this.authority(authority, https);
    const key = `${method}:${errorType}`;
    let attrs = a.byError.get(key);
    if (attrs === undefined) {
      attrs = buildClient(a, method, 0, undefined, errorType);
      if (this.size < this.maxSize) {
        a.byError.set(key, attrs);
        this.size++;
      }
    }
    return attrs;
  }
}

function buildClient(
  a: Authority,
  method: number,
  status: number,
  version: string | undefined,
  errorType: string | undefined,
): Attributes {
  const attrs: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: METHOD_NAMES[method],
    [ATTR_SERVER_ADDRESS]: a.address,
    [ATTR_SERVER_PORT]: a.port,
  };
  if (version !== undefined) attrs[ATTR_NETWORK_PROTOCOL_VERSION] = version;
  if (status > 0) attrs[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  if (errorType !== undefined) attrs[ATTR_ERROR_TYPE] = errorType;
  else if (status >= 400) attrs[ATTR_ERROR_TYPE] = String(status);
  return Object.freeze(attrs);
}
