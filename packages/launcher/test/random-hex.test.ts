import { describe, expect, it } from 'vitest';
import { randomHex } from '../src/random-hex.js';

describe('randomHex', () => {
  it('gives 2 hex digits per byte, different every time (the job secret and id)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = randomHex(32);
      expect(s).toMatch(/^[0-9a-f]{64}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(200);
    expect(randomHex(6)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('uses its bytes: over many secrets every hex digit shows up in every position', () => {
    const digits = Array.from({ length: 64 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...randomHex(32)].forEach((c, j) => digits[j]!.add(c));
    // A stuck byte (an unfilled buffer reads as zeros) leaves its two positions with one digit.
    for (const d of digits) expect(d.size).toBe(16);
  });
});
