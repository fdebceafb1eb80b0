/** The scratch pool: buffers come back by exact size, within the cap, and never shared while taken. */
import { describe, expect, it } from 'vitest';
import { ScratchPool } from '../src/scratch.js';

const KiB = 1024;

describe('ScratchPool', () => {
  it('hands a returned buffer out again for the same size only', () => {
    const pool = new ScratchPool(1024 * KiB);
    const a = pool.take(128 * KiB);
    expect(a.byteLength).toBe(128 * KiB);
    pool.give(a);
    expect(pool.bytes).toBe(128 * KiB);
    expect(pool.take(256 * KiB)).not.toBe(a);
    expect(pool.take(128 * KiB)).toBe(a);
    expect(pool.bytes).toBe(0);
  });

  it('never hands out one buffer twice while it is taken', () => {
    const pool = new ScratchPool(1024 * KiB);
    const a = pool.take(64 * KiB), b = pool.take(64 * KiB);
    expect(a).not.toBe(b);
    pool.give(a); pool.give(b);
    const c = pool.take(64 * KiB), d = pool.take(64 * KiB);
    expect(new Set([c, d])).toEqual(new Set([a, b]));
    expect(pool.take(64 * KiB)).not.toBe(c);
  });

  it('keeps at most its cap, dropping the sizes returned longest ago', () => {
    const pool = new ScratchPool(256 * KiB);
    const old = pool.take(128 * KiB), mid = pool.take(64 * KiB), fresh = pool.take(128 * KiB);
    pool.give(old); pool.give(mid); pool.give(fresh);
    expect(pool.bytes).toBeLessThanOrEqual(256 * KiB);
    expect(pool.take(128 * KiB)).toBe(fresh);
    expect(pool.take(64 * KiB)).toBe(mid);
    expect(pool.take(128 * KiB)).not.toBe(old);
  });

  it('ignores what it should not keep: small buffers, views into larger memory, buffers over the cap', () => {
    const pool = new ScratchPool(256 * KiB);
    pool.give(new Uint8Array(1 * KiB));
    pool.give(new Uint8Array(512 * KiB).subarray(0, 128 * KiB));
    pool.give(new Uint8Array(512 * KiB));
    expect(pool.bytes).toBe(0);
  });
});
