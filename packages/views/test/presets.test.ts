import { describe, expect, it } from 'vitest';
import { BUCKET_PRESETS, HTTP_DURATION_BUCKETS } from '../src/index.js';

describe('bucket presets', () => {
  it('are strictly increasing, finite and positive', () => {
    for (const [name, buckets] of Object.entries(BUCKET_PRESETS)) {
      expect(buckets.length, name).toBeGreaterThan(3);
      for (let i = 0; i < buckets.length; i++) {
        const b = buckets[i] as number;
        expect(Number.isFinite(b) && b > 0, `${name}[${i}]`).toBe(true);
        if (i > 0) expect(b, `${name}[${i}]`).toBeGreaterThan(buckets[i - 1] as number);
      }
    }
  });

  it('HTTP buckets are the semantic-convention seconds buckets and include 0.5 for SLO rules', () => {
    expect(HTTP_DURATION_BUCKETS[0]).toBe(0.005);
    expect(HTTP_DURATION_BUCKETS.at(-1)).toBe(10);
    expect(HTTP_DURATION_BUCKETS).toContain(0.5);
  });
});
