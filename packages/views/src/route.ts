/**
 * A route template for a URL path when no framework route is known: identifiers in path segments are
 * replaced by placeholders so that `/users/123/orders/9f1c2b3a4d5e` and `/users/7/orders/a1b2c3d4e5f6`
 * become one series, `/users/:id/orders/:id`, instead of one per request (the raw path is never a safe
 * attribute: it is unbounded).
 */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]+$/i;
const HAS_DIGIT = /\d/;
const HAS_HEX_LETTER = /[a-f]/i;
/** ULID (26 chars, Crockford base32). */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
/** Prefixed or suffixed numeric ids: `INV-2024-0042`, `ord_12345`, `12345abc`. */
const PREFIXED_NUMBER = /^[a-z]{0,12}[-_.]?\d{3,}([-_.]\d+)*[a-z]{0,3}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;
const EMAIL = /^[^@/\s]+(@|%40)[^@/\s]+\.[a-z]{2,}$/i;
/** Characters of opaque tokens: base64/base64url, JWT dots, percent-escapes. */
const TOKEN_CHARS = /^[A-Za-z0-9._~+=%-]+$/;
const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;
/** Short random ids (`dQw4w9WgXcQ`, `k3j9x2m1`): letters and digits only, digits in two or more runs. */
const ALNUM = /^[A-Za-z0-9]+$/;
const TWO_DIGIT_RUNS = /\d\D+\d/;
/** Segments longer than this are never a route literal; they become `:token` whatever they contain. */
const MAX_SEGMENT = 64;
/** File extensions kept after a placeholder: `/invoices/123.pdf` → `/invoices/:id.pdf`. */
const EXTENSION = /^(.+)\.([a-z0-9]{1,5})$/i;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed escape: classify the raw segment
  }
}

/** The placeholder for one path segment, or undefined to keep the segment as it is. */
function placeholder(segment: string): string | undefined {
  const n = segment.length;
  if (n === 0) return undefined;
  const c = segment.charCodeAt(0);
  // All digits: the most common id.
  if (c >= 48 && c <= 57) {
    let allDigits = true;
    for (let i = 1; i < n; i++) {
      const d = segment.charCodeAt(i);
      if (d < 48 || d > 57) {
        allDigits = false;
        break;
      }
    }
    if (allDigits) return ':id';
  }
  if (n >= 32 && UUID.test(segment)) return ':id';
  if (n > MAX_SEGMENT) return ':token';
  // Percent-encoded ids (`%31%32%33`, `jane%40example.com`) are classified by what they encode.
  if (segment.indexOf('%') !== -1) {
    const decoded = decodeSegment(segment);
    if (decoded !== undefined && decoded !== segment && decoded.indexOf('%') === -1) {
      const inner = placeholder(decoded);
      if (inner) return inner;
    }
  }
  if (EMAIL.test(segment)) return ':email';
  if (DATE.test(segment)) return ':date';
  const hasDigit = HAS_DIGIT.test(segment);
  // Hex ids (ObjectId, hashes, short ids): long enough, and digits mixed with a–f unless very long.
  if (n >= 8 && HEX.test(segment) && ((hasDigit && HAS_HEX_LETTER.test(segment)) || n >= 16)) return ':id';
  if (n === 26 && hasDigit && ULID.test(segment)) return ':id';
  if (hasDigit && PREFIXED_NUMBER.test(segment)) return ':id';
  // Opaque tokens (base64url ids, JWTs, API keys): long and random-looking, i.e. digits with mixed case
  // or several digits among letters. Slugs (`how-to-use-http2`) have one digit or none and stay.
  if (n >= 16 && hasDigit && TOKEN_CHARS.test(segment)) {
    let digits = 0;
    for (let i = 0; i < n; i++) {
      const d = segment.charCodeAt(i);
      if (d >= 48 && d <= 57) digits++;
    }
    if ((UPPER.test(segment) && LOWER.test(segment)) || digits >= 3) return ':token';
  }
  if (n >= 8 && hasDigit && ALNUM.test(segment) && TWO_DIGIT_RUNS.test(segment)) return ':id';
  // An id with a file extension.
  const ext = EXTENSION.exec(segment);
  if (ext?.[1] && ext[2] && !HAS_DIGIT.test(ext[2]) && ext[1].indexOf('.') === -1) {
    const inner = placeholder(ext[1]);
    if (inner) return `${inner}.${ext[2]}`;
  }
  return undefined;
}

/**
 * Replaces identifiers in a URL path by placeholders: numeric ids, UUIDs, hex ids and MongoDB ObjectIds,
 * ULIDs and prefixed numbers (`INV-2024-0042`) become `:id`; email addresses `:email`; ISO dates `:date`;
 * long random tokens (base64url, JWTs, API keys) and any segment over 64 characters `:token`; short random
 * ids (letters with digits in two or more runs, 8+ characters) `:id`. Percent-encoded segments are judged by
 * what they decode to. Words, slugs and version segments (`v1`) stay, and so does a trailing slash.
 * The query string and fragment are dropped. The result starts with `/`.
 *
 * @example
 * normalizeRoute('/users/123/orders/9f1c2b3a4d5e?expand=1') // '/users/:id/orders/:id'
 * normalizeRoute('/api/v2/accounts/jane%40example.com')     // '/api/v2/accounts/:email'
 */
export function normalizeRoute(url: string): string {
  let end = url.length;
  const q = url.indexOf('?');
  if (q !== -1) end = q;
  const h = url.indexOf('#');
  if (h !== -1 && h < end) end = h;
  const path = end === url.length ? url : url.slice(0, end);
  if (path.length === 0) return '/';
  const segments = path.split('/');
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const p = placeholder(segments[i] as string);
    if (p !== undefined) {
      segments[i] = p;
      changed = true;
    }
  }
  const out = changed ? segments.join('/') : path;
  return out.charCodeAt(0) === 47 ? out : `/${out}`;
}
