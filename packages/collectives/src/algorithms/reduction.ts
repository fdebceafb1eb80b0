/**
 * How partial results of a reduction travel and combine, for values and for
 * typed arrays; the tree, recursive-doubling and scan algorithms are written
 * once against this interface.
 */
import { type Exchange, type Into, protocolError } from '../exchange.js';
import { type TypedArray, alloc, received } from '../buffers.js';
import type { Op } from '../ops/op.js';

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
