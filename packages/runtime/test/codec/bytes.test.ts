/**
 * Payload bytes of any size: the window helpers cut, copy and concatenate
 * exactly (checked here with tiny windows, since real ones are 1 GiB), and a
 * payload above the view limit is an ArrayBuffer described by its three fields.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBytes, bytesOfBinary, concatBytes, copyInto, decodeMessage, decodeValue, Encoding, encodeValue, SMALL_PAYLOAD_BYTES, windows } from '@tsmpi/runtime';

const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (i + from) & 0xff);

describe('payload bytes', () => {
  it('allocBytes gives a Uint8Array up to the view limit and a bare ArrayBuffer description above it', () => {
    expect(allocBytes(10, 16)).toBeInstanceOf(Uint8Array);
    const big = allocBytes(17, 16);
    expect(big).not.toBeInstanceOf(Uint8Array);
    expect(big.buffer.byteLength).toBe(17);
    expect(big.byteOffset).toBe(0);
    expect(big.byteLength).toBe(17);
  });

  it('small payloads are carved, aligned, from a shared slab; larger ones get a buffer of their own', () => {
    const a = allocBytes(3), b = allocBytes(SMALL_PAYLOAD_BYTES);
    for (const x of [a, b]) {
      expect(x.byteOffset % 8).toBe(0);
      expect(x.buffer.byteLength).toBeGreaterThan(SMALL_PAYLOAD_BYTES);
    }
    const c = allocBytes(SMALL_PAYLOAD_BYTES + 1);
    expect([c.byteOffset, c.buffer.byteLength]).toEqual([0, SMALL_PAYLOAD_BYTES + 1]);
    // A plain Uint8Array (what a program that sent one gets back), though not zero-filled.
    expect(Object.getPrototypeOf(c)).toBe(Uint8Array.prototype);
  });

  it('what reaches the program from a slab payload is its own copy, never a view of the slab', () => {
    const f = new Float64Array([1.5, -2, 3]);
    const p = allocBytes(24);
    copyInto(p, [bytesOfBinary(f) as Uint8Array]);
    const got = decodeMessage(Encoding.FLOAT64, p) as Float64Array;
    expect(got).toEqual(f);
    expect(got.buffer).not.toBe(p.buffer);
    const enc = encodeValue({ x: new Int32Array([7, 8]), b: Buffer.from('hi'), u: new Uint8Array([9]) });
    const q = allocBytes(enc.byteLength);
    copyInto(q, enc.parts);
    const v = decodeValue(q) as { x: Int32Array; b: Buffer; u: Uint8Array };
    expect([...v.x]).toEqual([7, 8]);
    expect(v.b.toString()).toBe('hi');
    expect(Buffer.isBuffer(v.b)).toBe(true);
    expect(v.u).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(v.u)).toBe(false);
    for (const arr of [v.x, v.b, v.u]) expect(arr.buffer).not.toBe(q.buffer);
    // Writing into one received array leaves the next payload in the slab alone.
    const r = allocBytes(8);
    new Uint8Array(r.buffer, r.byteOffset, 8).fill(4);
    v.x.fill(0); got.fill(0);
    expect([...new Uint8Array(r.buffer, r.byteOffset, 8)]).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('only the slab\'s own buffers count as slab: bytes in any other 64 KiB buffer are viewed, not copied', () => {
    const slabPayload = allocBytes(16);
    const own = new ArrayBuffer(slabPayload.buffer.byteLength);
    expect(own.byteLength).toBe(64 * 1024);
    new Float64Array(own, 8, 2).set([2.5, -1]);
    const got = decodeMessage(Encoding.FLOAT64, new Uint8Array(own, 8, 16)) as Float64Array;
    expect([...got]).toEqual([2.5, -1]);
    expect(got.buffer).toBe(own);
    // A real slab payload of the same size is still copied out.
    expect((decodeMessage(Encoding.FLOAT64, slabPayload) as Float64Array).buffer).not.toBe(slabPayload.buffer);
  });

  it('windows cover exactly the requested range, none larger than the window', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 50 }), fc.nat(30), fc.nat(30), (n, size, a, b) => {
      const backing = new Uint8Array(n + 40);
      backing.set(seq(n + 40));
      const src = new Uint8Array(backing.buffer, 20, n);
      const off = Math.min(a, n), len = Math.max(0, Math.min(b + n, n - off));
      const ws = windows(src, off, len, size);
      expect(ws.every((w) => w.byteLength <= size || ws.length === 1)).toBe(true);
      expect(ws.reduce((s, w) => s + w.byteLength, 0)).toBe(len);
      expect(Buffer.concat(ws)).toEqual(Buffer.from(src.subarray(off, off + len)));
      // Views, never copies.
      for (const w of ws) expect(w.buffer).toBe(backing.buffer);
    }));
  });

  it('a whole Uint8Array is its own single window', () => {
    const a = seq(10);
    expect(windows(a)[0]).toBe(a);
  });

  it('copyInto and concatBytes put parts one after another, window by window', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }), fc.integer({ min: 1, max: 16 }), (sizes, size) => {
      const parts = sizes.map((n, i) => seq(n, i * 7));
      const total = sizes.reduce((s, n) => s + n, 0);
      const dst = new Uint8Array(total + 5);
      expect(copyInto(dst, parts, 5, size)).toBe(total + 5);
      expect(Buffer.from(dst.subarray(5))).toEqual(Buffer.concat(parts));
      // A destination described over an ArrayBuffer (how payloads above 4 GiB are) is filled window by window.
      const big = { buffer: new ArrayBuffer(total + 9), byteOffset: 4, byteLength: total + 5 };
      expect(copyInto(big, parts, 5, size)).toBe(total + 5);
      expect(Buffer.from(big.buffer, 9, total)).toEqual(Buffer.concat(parts));
      const joined = concatBytes(parts, total);
      expect(Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength)).toEqual(Buffer.concat(parts));
    }));
  });

  it('bytesOfBinary views typed arrays, Buffers and ArrayBuffers without a copy', () => {
    const f = new Float64Array(4).fill(1.5);
    const b = bytesOfBinary(f.subarray(1, 3));
    expect(b.buffer).toBe(f.buffer);
    expect([b.byteOffset, b.byteLength]).toEqual([8, 16]);
    const ab = new ArrayBuffer(12);
    expect(bytesOfBinary(ab).buffer).toBe(ab);
    const u = new Uint8Array(3);
    expect(bytesOfBinary(u)).toBe(u);
  });
});
