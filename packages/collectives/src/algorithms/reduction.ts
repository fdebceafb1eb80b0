/**
 * How partial results of a reduction travel and combine, for values and for
 * typed arrays; the tree, recursive-doubling and scan algorithms are written
 * once against this interface.
 */
import { binaryCode } from '@tsmpi/runtime';
import { type Exchange, type Into, protocolError } from '../exchange.js';
import { type TypedArray, alloc, ctorOf, kindOf, received } from '../buffers.js';
import type { Op } from '../ops/op.js';
import { hasSimdKernel, isArena } from '../ops/simd.js';
import { tuning } from '../tuning.js';

export interface Reduction<T> {
  /** `lower op higher`; may reuse the memory of an operand the algorithm owns. */
  combine(lower: T, higher: T): T;
  /** The message that carries a partial result. */
  wrap(x: T): unknown;
  /** A received message as a partial result (throws if malformed). */
  unwrap(msg: unknown): T;
  /** Where large partial results may be received (scratch buffers: only when the result is copied out). */
  into?: Into;
}

/**
 * Values travel as `[value]` (so a failure note can never be mistaken for
 * one). A number, the common case, travels as a one-element Float64Array
 * instead: a bare binary frame that skips the value codec on both sides and
 * keeps every number exactly (-0, NaN, infinities). A Float64Array value is
 * still wrapped in an array, so the two never mix.
 */
export function valueReduction(ex: Exchange, op: Op): Reduction<unknown> {
  return {
    combine: (a, b) => op.apply(a, b),
    wrap: (x) => (typeof x === 'number' ? Float64Array.of(x) : [x]),
    unwrap: (msg) => {
      if (msg instanceof Float64Array && msg.length === 1) return msg[0];
      if (!Array.isArray(msg) || msg.length !== 1) throw protocolError(ex, 'expected a wrapped value');
      return msg[0];
    },
  };
}

/**
 * Typed arrays travel as themselves (sent without copying). Combining writes
 * into a received array when there is one (it belongs to this call), so the
 * caller's send buffer is never modified and no copy is made up front.
 */
export function bufferReduction(ex: Exchange, op: Op, model: TypedArray, into?: Into): Reduction<TypedArray> {
  const owned = new WeakSet<TypedArray>();
  return {
    into,
    combine: (a, b) => {
      const out = owned.has(b) ? b : owned.has(a) ? a : alloc(a, a.length);
      owned.add(out);
      op.reduceInto(a, b, out);
      return out;
    },
    wrap: (x) => x,
    unwrap: (msg) => {
      const b = received(msg, model, model.length, ex.what);
      owned.add(b);
      return b;
    },
  };
}

/**
 * `bufferReduction` for a large buffer whose op has a SIMD loop (SUM and PROD of Float64Array and
 * Float32Array, ops/simd.ts), or undefined (take `bufferReduction`). Partial results are received
 * into slots of one arena of this call, one per message (`slots - 1` at most), and each combine
 * brings its other operand there too (this rank's own data into slot 0, free again after every
 * combine; a message that arrived before its receive was posted into the next free slot), so it
 * runs as the vector loop instead of the JavaScript one (~20 instructions per element: a 1 MiB
 * Reduce on 4 ranks spent most of its user instructions there), writing into the received slot.
 * The arena is taken when the first partial result arrives or is combined: a leaf of the tree,
 * which only sends, never takes one.
 */
export function arenaReduction(ex: Exchange, op: Op, model: TypedArray, slots: number): Reduction<TypedArray> | undefined {
  const n = model.byteLength;
  if (n < tuning.largeMessageBytes || !hasSimdKernel(op.name, kindOf(model))) return undefined;
  const code = binaryCode(model);
  const Ctor = ctorOf(model) as unknown as new (b: ArrayBufferLike, off: number, length: number) => TypedArray;
  let room: Uint8Array | undefined;
  let used = 1;
  const arena = (): Uint8Array | undefined => {
    room ??= ex.scratch(slots * n, true);
    return room !== undefined && isArena(room.buffer) ? room : undefined;
  };
  const into: Into = (bytes, enc) => {
    if (bytes !== n || enc !== code || used >= slots) return undefined;
    const r = arena();
    return r && r.subarray(used * n, ++used * n);
  };
  const base = bufferReduction(ex, op, model, into);
  /** `x` copied into slot `i` of the arena `r`. */
  const copy = (r: Uint8Array, i: number, x: TypedArray) => {
    const s = new Ctor(r.buffer, r.byteOffset + i * n, x.length);
    s.set(x as never);
    return s;
  };
  return {
    ...base,
    combine: (a, b) => {
      const r = arena();
      if (r === undefined || (b.buffer !== r.buffer && used >= slots)) return base.combine(a, b);
      if (b.buffer !== r.buffer) b = copy(r, used++, b);
      if (a.buffer !== r.buffer) a = copy(r, 0, a);
      op.reduceInto(a, b, b);
      return b;
    },
  };
}
