import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeRoute } from '../src/index.js';

function expectRoutes(cases: [string, string][]): void {
  for (const [path, route] of cases) expect(normalizeRoute(path), path).toBe(route);
}

describe('normalizeRoute', () => {
  it('replaces ids in the example of the issue', () => {
    expectRoutes([
      ['/users/123/orders/9f1c2b3a4d5e', '/users/:id/orders/:id'],
      ['/users/7/orders/a1b2c3d4e5f6', '/users/:id/orders/:id'],
      ['/users/123/orders/456/items/789', '/users/:id/orders/:id/items/:id'],
    ]);
  });

  it('keeps paths without identifiers exactly as they are', () => {
    for (const path of [
      '/',
      '/products',
      '/api/v2/users',
      '/api/v10/items',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/oauth2/callback',
      '/i18n/en-US',
      '/blog/how-to-use-http2',
      '/blog/top-10-tips',
      '/users/me',
      '/users/john-smith',
      '/users/deadbeef', // 8 hex letters without a digit: a word
      '/docs/base64url',
      '/images/logo.png',
      '/.well-known/openid-configuration',
      '/search/new%20york',
      '/tags/c%2B%2B',
    ]) {
      expect(normalizeRoute(path), path).toBe(path);
    }
  });

  it('replaces numeric ids, UUIDs, ULIDs, hex hashes and MongoDB ObjectIds by :id', () => {
    expectRoutes([
      ['/users/0', '/users/:id'],
      ['/users/18446744073709551615', '/users/:id'],
      ['/users/550e8400-e29b-41d4-a716-446655440000', '/users/:id'],
      ['/users/550E8400E29B41D4A716446655440000', '/users/:id'],
      [`/sessions/${randomUUID()}/events`, '/sessions/:id/events'],
      ['/users/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/users/:id'],
      ['/objects/507f1f77bcf86cd799439011', '/objects/:id'],
      ['/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709', '/commits/:id'],
      ['/blobs/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '/blobs/:id'],
      ['/blobs/deadbeefdeadbeef', '/blobs/:id'],
      ['/orders/9f1c2b3a', '/orders/:id'],
    ]);
  });

  it('replaces prefixed numbers, short random ids and ids with a file extension', () => {
    expectRoutes([
      ['/invoices/INV-2024-0042', '/invoices/:id'],
      ['/orders/ord_12345', '/orders/:id'],
      ['/users/user123', '/users/:id'],
      ['/watch/dQw4w9WgXcQ', '/watch/:id'],
      ['/c/k3j9x2m1p', '/c/:id'],
      ['/invoices/123.pdf', '/invoices/:id.pdf'],
      ['/v1/users/42/avatar.jpg', '/v1/users/:id/avatar.jpg'],
    ]);
  });

  it('replaces dates and email addresses (plain or percent-encoded)', () => {
    expectRoutes([
      ['/reports/2024-03-15', '/reports/:date'],
      ['/events/2024-03-15T10:20:30Z', '/events/:date'],
      ['/events/2024-03-15T10:20:30.123Z/summary', '/events/:date/summary'],
      ['/users/jane.doe@example.com', '/users/:email'],
      ['/api/v2/accounts/jane%40example.com', '/api/v2/accounts/:email'],
      ['/users/j.doe+news42@mail.example.co.uk/prefs', '/users/:email/prefs'],
    ]);
  });

  it('replaces base64-ish tokens, JWTs and API keys by :token, but not slugs with a digit', () => {
    expectRoutes([
      ['/files/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123XYZ', '/files/:token'],
      ['/s/AbC9xYz01QrT-_kLmN', '/s/:token'],
      ['/tokens/c2VjcmV0LXRva2VuLXZhbHVlLTEyMw==', '/tokens/:token'],
      ['/keys/sk_live_51HqLyjWDarjtT1zdp7dc', '/keys/:token'],
      ['/reset/Zx7Qp2Lm9Rt4Wv8Kb1Nc', '/reset/:token'],
      ['/blog/upgrading-to-node-24-without-downtime', '/blog/upgrading-to-node-24-without-downtime'],
    ]);
  });

  it('replaces any segment over 64 characters, and judges percent-encoded segments by what they encode', () => {
    expectRoutes([
      [`/a/${'x'.repeat(200)}`, '/a/:token'],
      [`/long/${'abcdefghij'.repeat(7)}/edit`, '/long/:token/edit'],
      [`/ok/${'x'.repeat(64)}`, `/ok/${'x'.repeat(64)}`],
      ['/users/%31%32%33', '/users/:id'],
      ['/users/%35%35%30e8400-e29b-41d4-a716-446655440000', '/users/:id'],
      // A malformed escape is not an error: the segment is judged as it is.
      ['/x/%E0%A4%A', '/x/%E0%A4%A'],
      ['/x/%zz/42', '/x/%zz/:id'],
    ]);
  });

  it('drops the query string and the fragment, keeps trailing and double slashes', () => {
    expectRoutes([
      ['/users/123?expand=orders&token=abc', '/users/:id'],
      ['/users/123#section-2', '/users/:id'],
      ['/users/123?x=1#frag', '/users/:id'],
      ['/search?q=/users/123', '/search'],
      ['/users/123/', '/users/:id/'],
      ['/users/', '/users/'],
      ['//users//123', '//users//:id'],
      ['?a=1', '/'],
      ['', '/'],
      ['users/123', '/users/:id'],
    ]);
  });

  it('maps many random requests onto a bounded set of routes', () => {
    // A seeded generator keeps the test reproducible.
    let seed = 0x2f6e2b1;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const int = (max: number) => Math.floor(rand() * max);
    const pick = (alphabet: string, n: number) =>
      Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
    const hex = '0123456789abcdef';
    const b62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const ids: (() => string)[] = [
      () => String(1 + int(10_000_000)),
      () => randomUUID(),
      () => pick(hex, 24), // ObjectId
      () => pick(hex, 40), // SHA-1
      () => `ord_${100 + int(1_000_000)}`,
      () => `2${int(10)}${int(10)}${int(10)}-0${1 + int(9)}-1${int(10)}`,
      () => `${pick(b62, 6)}${int(10)}${pick(b62, 3)}${int(10)}${pick(b62, 20)}`, // token with digits
      () => `u${int(10)}x${int(10)}${pick(b62, 6)}`, // short random id, two digit runs
      () => `user${100 + int(100_000)}%40example.com`,
    ];
    const templates = [
      (id: string) => `/users/${id}`,
      (id: string) => `/users/${id}/orders/${id}`,
      (id: string) => `/api/v2/items/${id}?page=${int(100)}`,
      (id: string) => `/files/${id}/download#t=${int(100)}`,
    ];
    const routes = new Set<string>();
    const requests = 20_000;
    for (let i = 0; i < requests; i++) {
      const id = ids[i % ids.length] as () => string;
      const template = templates[int(templates.length)] as (id: string) => string;
      routes.add(normalizeRoute(template(id())));
    }
    // 4 templates × at most 4 placeholders (:id, :date, :token, :email): never one route per request.
    expect(routes.size).toBeLessThanOrEqual(16);
    for (const route of routes)
      expect(route).toMatch(
        /^\/(users|api\/v2\/items|files)\/:(id|date|token|email)(\/orders\/:(id|date|token|email)|\/download)?$/,
      );
  });
});
