/** Reduction ops on their own: value semantics (mpi4py's) and element-wise buffer kernels for every kind. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAND, BOR, BXOR, LAND, LOR, LXOR, MAX, MAXLOC, MIN, MINLOC, NO_OP, Op, PROD, REPLACE, SUM } from '@tsmpi/collectives';
import { ALL_KINDS, isBig, make, nums } from './helpers/typed.ts';

describe('ops on values', () => {
  it('SUM adds numbers and bigints, concatenates strings and arrays, adds typed arrays element-wise', () => {
    expect(SUM.apply(2, 3.5)).toBe(5.5);
    expect(SUM.apply(2n ** 63n - 1n, 1n)).toBe(2n ** 63n);
    expect(SUM.apply('ab', 'c')).toBe('abc');
    expect(SUM.apply([1, [2]], [3])).toEqual([1, [2], 3]);
    expect(SUM.apply(Int8Array.of(1, 100), Int8Array.of(2, 100))).toEqual(Int8Array.of(3, -56));
  });
  it('PROD, MAX and MIN work on scalars and element-wise on arrays', () => {
    expect(PROD.apply(3n, 4n)).toBe(12n);
    expect(PROD.apply([1, 2, 3], [4, 5, 6])).toEqual([4, 10, 18]);
    expect(MAX.apply(3, 7)).toBe(7);
    expect(MAX.apply('pear', 'apple')).toBe('pear');
    expect(MIN.apply([5, -1], [2, 0])).toEqual([2, -1]);
    expect(MAX.apply(Float32Array.of(1, 5), Float32Array.of(2, 4))).toEqual(Float32Array.of(2, 5));
    expect(MIN.apply(1n, 2)).toBe(1n);
  });
  it('logical ops give booleans, bitwise ops keep integers (beyond 32 bits too)', () => {
    expect([LAND.apply(1, 0), LOR.apply(0, 'x'), LXOR.apply(true, true), LXOR.apply(0, 3)]).toEqual([false, true, false, true]);
    expect(LAND.apply([1, 0, 1], [1, 1, 0])).toEqual([true, false, false]);
    expect(BAND.apply(2 ** 40 + 5, 2 ** 40 + 4)).toBe(2 ** 40 + 4);
    expect(BOR.apply(-8, 3)).toBe(-5);
    expect(BXOR.apply(0xffn << 60n, 1n)).toBe((0xffn << 60n) ^ 1n);
    expect(BOR.apply(true, false)).toBe(true);
    expect(BAND.apply(Uint32Array.of(0xffffffff), Uint32Array.of(0xf0f0f0f0))).toEqual(Uint32Array.of(0xf0f0f0f0));
  });
  it('MAXLOC and MINLOC take [value, index] pairs; a tie goes to the lower index', () => {
    expect(MAXLOC.apply([3, 1], [5, 0])).toEqual([5, 0]);
    expect(MAXLOC.apply([5, 2], [5, 1])).toEqual([5, 1]);
    expect(MAXLOC.apply([5, 1], [5, 2])).toEqual([5, 1]);
    expect(MINLOC.apply([-1, 9], [-1, 3])).toEqual([-1, 3]);
    expect(MINLOC.apply(['b', 0], ['a', 1])).toEqual(['a', 1]);
    expect(MAXLOC.apply([[1, 0], [9, 0]], [[2, 1], [9, 1]])).toEqual([[2, 1], [9, 0]]);
    expect(MINLOC.apply(Float64Array.of(1, 7, 2, 7), Float64Array.of(1, 3, 3, 1))).toEqual(Float64Array.of(1, 3, 2, 7));
  });
  it('REPLACE keeps the higher rank\'s value and NO_OP the lower\'s, whatever they are', () => {
    expect(REPLACE.apply({ a: 1 }, 'b')).toBe('b');
    expect(NO_OP.apply({ a: 1 }, 'b')).toEqual({ a: 1 });
    expect([REPLACE.commute, NO_OP.commute, SUM.commute]).toEqual([false, false, true]);
  });
  it('reject what they cannot combine with TSMPI_ERR_OP and a hint', () => {
    expect(() => SUM.apply(1, 1n)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_OP', message: expect.stringMatching(/BigInt\(\)/) }));
    expect(() => SUM.apply({}, {})).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_OP' }));
    expect(() => MAX.apply([1], [1, 2])).toThrow(/same length/);
    expect(() => MAX.apply([1], 1)).toThrow(/arrays on every rank/);
    expect(() => BAND.apply(1.5, 1)).toThrow(/integers/);
    expect(() => BAND.apply(Float64Array.of(1), Float64Array.of(1))).toThrow(/integer elements/);
    expect(() => MAXLOC.apply(3, 4)).toThrow(/pairs/);
    expect(() => SUM.apply(Int8Array.of(1), Int16Array.of(1))).toThrow(/one kind/);
  });
});

describe('ops on buffers', () => {
  it.each(ALL_KINDS.map((K) => [K.name, K] as const))('every op is element-wise on %s', (_name, K) => {
    const a = make(K, 6, (i) => i + 1), b = make(K, 6, (i) => 7 - i);
    const run = (op: Op) => { const out = new K(6); op.reduceInto(a, b, out); return nums(out); };
    expect(run(SUM)).toEqual(new Array(6).fill(8));
    expect(run(PROD)).toEqual([7, 12, 15, 16, 15, 12]);
    expect(run(MAX)).toEqual([7, 6, 5, 4, 5, 6]);
    expect(run(MIN)).toEqual([1, 2, 3, 4, 3, 2]);
    expect(run(REPLACE)).toEqual(nums(b));
    expect(run(NO_OP)).toEqual(nums(a));
    expect(run(LAND)).toEqual(new Array(6).fill(1));
    expect(run(LXOR)).toEqual(new Array(6).fill(0));
    expect(run(MAXLOC)).toEqual([7, 6, 5, 4, 5, 6]);
    if (K === Float32Array || K === Float64Array) {
      expect(() => run(BAND)).toThrow(/integer elements/);
    } else {
      expect(run(BAND)).toEqual(nums(a).map((x, i) => x & nums(b)[i]!));
      expect(run(BOR)).toEqual(nums(a).map((x, i) => x | nums(b)[i]!));
      expect(run(BXOR)).toEqual(nums(a).map((x, i) => x ^ nums(b)[i]!));
    }
    const z = make(K, 3, (i) => i % 2);
    const o = new K(3);
    LOR.reduceInto(z, make(K, 3, () => 0), o);
    expect(nums(o)).toEqual([0, 1, 0]);
    if (isBig(K)) expect(typeof (o as BigInt64Array)[0]).toBe('bigint');
  });
  it('wraps and clamps like the element kind does', () => {
    const out = new Uint8ClampedArray(2);
    SUM.reduceInto(Uint8ClampedArray.of(200, 5), Uint8ClampedArray.of(100, 5), out);
    expect(Array.from(out)).toEqual([255, 10]);
    const w = new Uint32Array(1);
    SUM.reduceInto(Uint32Array.of(0xffffffff), Uint32Array.of(2), w);
    expect(w[0]).toBe(1);
    const big = new BigInt64Array(1);
    SUM.reduceInto(BigInt64Array.of(2n ** 63n - 1n), BigInt64Array.of(1n), big);
    expect(big[0]).toBe(-(2n ** 63n));
  });
  it('Op.create applies a function per element, or per item with a unit', () => {
    const f = Op.create((a: number, b: number) => a * 10 + b);
    expect(f.commute).toBe(false);
    const out = new Int32Array(3);
    f.reduceInto(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), out);
    expect(Array.from(out)).toEqual([14, 25, 36]);
    const swap = Op.create((a: Float64Array, b: Float64Array) => [b[1]!, a[0]!], true, { unit: 2 });
    const o2 = new Float64Array(4);
    swap.reduceInto(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), o2);
    expect(Array.from(o2)).toEqual([6, 1, 8, 3]);
    expect(() => swap.reduceInto(new Float64Array(3), new Float64Array(3), new Float64Array(3))).toThrow(/multiple of 2/);
    const bad = Op.create(() => [1], false, { unit: 2 });
    expect(() => bad.reduceInto(new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/2 elements/);
    const inout = Float64Array.of(1, 2);
    SUM.Reduce_local(Float64Array.of(10, 20), inout);
    expect(Array.from(inout)).toEqual([11, 22]);
    expect(Op.Create((a: number) => a, true).Is_commutative()).toBe(true);
    expect(() => Op.create(3 as never)).toThrow(/function/);
    const thrower = Op.create(() => { throw new Error('nope'); });
    expect(() => thrower.apply(1, 2)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_OP', message: expect.stringMatching(/nope/) }));
  });
  it('rejects buffers of different kinds or lengths', () => {
    expect(() => SUM.reduceInto(new Int8Array(2), new Uint8Array(2), new Int8Array(2))).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_BUFFER' }));
    expect(() => SUM.reduceInto(new Int8Array(2), new Int8Array(3), new Int8Array(2))).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_TRUNCATE' }));
    const buf = Buffer.from([1, 2]);
    const out = new Uint8Array(2);
    SUM.reduceInto(buf, Uint8Array.of(1, 1), out);
    expect(Array.from(out)).toEqual([2, 3]);
  });
  it('runs SUM over a Float64Array as fast as a hand-written loop, after every kind has been used', () => {
    // The test above ran every op on every kind first: the kernels must still be monomorphic.
    const n = 1 << 20;
    const a = new Float64Array(n).fill(1.5), b = new Float64Array(n).fill(2);
    const loop = new Function('lo', 'hi', 'out', '/* baseline */ for (let i = 0; i < out.length; i++) out[i] = lo[i] + hi[i];') as (x: Float64Array, y: Float64Array, z: Float64Array) => void;
    const time = (f: () => void) => {
      f();
      let best = Infinity;
      for (let r = 0; r < 5; r++) { const t = performance.now(); f(); best = Math.min(best, performance.now() - t); }
      return best;
    };
    const kernel = time(() => SUM.reduceInto(a, b, a));
    const baseline = time(() => loop(a, b, a));
    expect(a[0]).toBe(1.5 + 2 * 12);
    expect(kernel).toBeLessThan(3 * baseline + 5);
  });
});

describe('element kernels (unrolled by four)', () => {
  const OPS = [SUM, PROD, MAX, MIN, LAND, LOR, LXOR, BAND, BOR, BXOR, REPLACE, NO_OP];
  const KINDS = [Float64Array, Int32Array, Int8Array, Uint8Array, BigInt64Array] as const;
  it('give every element what the op gives it alone, at any length, also into lo or hi', () => {
    fc.assert(fc.property(
      fc.constantFrom(...OPS), fc.constantFrom(...KINDS), fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 23 }), fc.integer(), fc.constantFrom('new', 'lo', 'hi'),
      (op, K, xs, seed, target) => {
        const floats = K === Float64Array;
        if (!floats || !['BAND', 'BOR', 'BXOR'].includes(op.name)) {
          const val = (x: number) => (K === BigInt64Array ? BigInt(x) : x);
          const lo = new K(xs.length) as TypedArrayLike, hi = new K(xs.length) as TypedArrayLike;
          xs.forEach((x, i) => { lo[i] = val(x); hi[i] = val(((x * 31 + seed) % 7) - 3); });
          // One element at a time runs the loop's tail only: the reference for the unrolled body.
          const ref = new K(xs.length) as TypedArrayLike;
          for (let i = 0; i < xs.length; i++) op.reduceInto(lo.subarray(i, i + 1), hi.subarray(i, i + 1), ref.subarray(i, i + 1));
          const out = target === 'lo' ? lo : target === 'hi' ? hi : (new K(xs.length) as TypedArrayLike);
          op.reduceInto(lo, hi, out);
          expect(Array.from(out as ArrayLike<unknown>)).toEqual(Array.from(ref as ArrayLike<unknown>));
        }
      },
    ), { numRuns: 300 });
  });
});

type TypedArrayLike = Float64Array & { subarray(a: number, b: number): TypedArrayLike; [i: number]: any };
