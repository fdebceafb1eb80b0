/**
 * The SIMD element kernels (ops/simd.ts): on operands in an arena they give
 * bitwise the results of the JavaScript loops, tails and aliasing included,
 * and they never run on other memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROD, SUM } from '@tsmpi/collectives';
import { binaryCode } from '@tsmpi/runtime';
import { arena, hasSimdKernel, isArena, simdReduce } from '../src/ops/simd.js';
import { ScratchPool } from '../src/scratch.js';
import { arenaReduction } from '../src/algorithms/reduction.js';
import { MAX as srcMAX, SUM as srcSUM } from '../src/ops/builtin.js';
import type { Exchange } from '../src/exchange.js';

type FloatKind = Float64ArrayConstructor | Float32ArrayConstructor;

/** Doubles of every class: normal, subnormal, signed zeros, infinities, NaN, huge and tiny. */
const special = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1.7976931348623157e308, 2 ** -1022, 1e-45, 3.4e38];
const element = fc.oneof(fc.double(), fc.constantFrom(...special), fc.integer({ min: -1000, max: 1000 }).map((x) => x / 8));

/** The bytes of each element as a string; NaN counted as one value (its payload is not specified). */
function bits(a: Float64Array | Float32Array): string[] {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), w = a.BYTES_PER_ELEMENT;
  return Array.from(a, (x, i) => (Number.isNaN(x) ? 'NaN' : Array.from(bytes.subarray(i * w, (i + 1) * w)).join(',')));
}

describe('SIMD element kernels', () => {
  const cases: [string, typeof SUM, FloatKind][] = [
    ['SUM Float64Array', SUM, Float64Array], ['PROD Float64Array', PROD, Float64Array],
    ['SUM Float32Array', SUM, Float32Array], ['PROD Float32Array', PROD, Float32Array],
  ];
  it.each(cases)('%s: in an arena, bitwise the JavaScript loop (tails, out = lo, out = hi)', (_name, op, K) => {
    const room = arena(64 * 1024)!;
    expect(isArena(room.buffer)).toBe(true);
    // A wasm memory's buffer is a plain ArrayBuffer (typed as ArrayBufferLike through the arena's view).
    const buf = room.buffer as ArrayBuffer;
    const min = 1024 / K.BYTES_PER_ELEMENT; // SIMD_KERNEL_MIN_BYTES
    fc.assert(fc.property(
      fc.integer({ min, max: min + 40 }).chain((n) => fc.tuple(fc.array(element, { minLength: n, maxLength: n }), fc.array(element, { minLength: n, maxLength: n }))),
      fc.constantFrom('fresh', 'lo', 'hi'),
      fc.integer({ min: 0, max: 3 }),
      ([x, y], alias, shift) => {
        const n = x.length, w = K.BYTES_PER_ELEMENT;
        // Operands at offsets that are multiples of the element size but not always of 16.
        const lo = new K(buf, shift * w, n), hi = new K(buf, 16 * 1024 + shift * w, n);
        lo.set(x); hi.set(y);
        const out = alias === 'lo' ? lo : alias === 'hi' ? hi : new K(buf, 32 * 1024, n);
        const want = new K(n);
        op.reduceInto(K.from(x), K.from(y), want); // plain arrays: the JavaScript loop
        op.reduceInto(lo, hi, out);
        expect(bits(out)).toEqual(bits(want));
      },
    ), { numRuns: 60 });
  });

  it('runs only when all three operands lie in one arena, and leaves the tail to the caller', () => {
    const a = arena(8192)!, b = arena(8192)!;
    const x = new Float64Array(a.buffer, 0, 131), y = new Float64Array(a.buffer, 2048, 131);
    expect(simdReduce('SUM:Float64Array', x, y, x)).toBe(130); // 130 elements fill whole 16-byte vectors
    expect(simdReduce('SUM:Float64Array', x, new Float64Array(b.buffer, 0, 131), x)).toBe(0);
    expect(simdReduce('SUM:Float64Array', x, new Float64Array(131), x)).toBe(0);
    expect(simdReduce('MAX:Float64Array', x, y, x)).toBe(0); // no vector loop for MAX (NaN rules differ)
    const small = new Float64Array(a.buffer, 0, 8);
    expect(simdReduce('SUM:Float64Array', small, small, small)).toBe(0); // below SIMD_KERNEL_MIN_BYTES
  });

  it('arenaReduction: partial results received into arena slots, own data and early messages copied there, sums bitwise the JavaScript loop', () => {
    expect(hasSimdKernel('SUM', 'Float64Array')).toBe(true);
    expect(hasSimdKernel('MAX', 'Float64Array')).toBe(false);
    const pool = new ScratchPool();
    const ex = { what: 'Reduce', scratch: (n: number, simd: boolean) => pool.take(n, simd) } as unknown as Exchange;
    const n = 10_000, bytes = n * 8, F64 = binaryCode(new Float64Array(1))!; // its kind's code on the wire
    const own = Float64Array.from({ length: n }, (_, i) => i / 3);
    const red = arenaReduction(ex, srcSUM, own, 3)!;
    // Below the large-message size, or an op without a vector loop: not this reduction.
    expect(arenaReduction(ex, srcSUM, new Float64Array(100), 3)).toBeUndefined();
    expect(arenaReduction(ex, srcMAX, own, 3)).toBeUndefined();
    // A receive of another size or kind is not taken in; one of the buffer's size lands in slot 1.
    expect(red.into!(bytes - 8, F64)).toBeUndefined();
    const slot = red.into!(bytes, F64)!;
    expect(isArena(slot.buffer)).toBe(true);
    const child1 = new Float64Array(slot.buffer, slot.byteOffset, n);
    child1.set(Float64Array.from({ length: n }, (_, i) => i * 1.5));
    const early = Float64Array.from({ length: n }, (_, i) => -i / 7); // came before its receive: a fresh buffer
    const want = new Float64Array(n);
    SUM.reduceInto(own, Float64Array.from(child1), want);
    SUM.reduceInto(Float64Array.from(want), early, want);
    const ownBefore = Float64Array.from(own);
    const r1 = red.combine(own, red.unwrap(child1));
    expect(r1.buffer).toBe(slot.buffer);
    const r2 = red.combine(r1, red.unwrap(early));
    expect(r2.buffer).toBe(slot.buffer); // the early message was copied into slot 2
    expect(bits(r2 as Float64Array)).toEqual(bits(want));
    expect(bits(own)).toEqual(bits(ownBefore)); // the program's buffer is never written
    // All slots used: a further receive is not taken in, and a combine falls back to a fresh result.
    expect(red.into!(bytes, F64)).toBeUndefined();
    const r3 = red.combine(r2, red.unwrap(Float64Array.from(early)));
    expect(r3.length).toBe(n);
  });

  it('the scratch pool hands out arenas on request and keeps them apart from plain buffers', () => {
    const pool = new ScratchPool(4 * 1024 * 1024);
    const a = pool.take(100_000, true);
    expect(isArena(a.buffer)).toBe(true);
    expect(a.byteLength).toBe(100_000);
    pool.give(a);
    expect(pool.bytes).toBe(100_000);
    const plain = pool.take(100_000);
    expect(plain).not.toBe(a);
    expect(isArena(plain.buffer)).toBe(false);
    expect(pool.take(100_000, true)).toBe(a);
  });
});
