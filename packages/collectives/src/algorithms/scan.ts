/**
 * Inclusive and exclusive prefix reductions by recursive doubling: in round k
 * rank r exchanges the reduction of its current block of ranks with
 * r XOR 2^k; a partner below adds to the prefix, and the block grows to
 * 2^(k+1) ranks. Combinations keep rank order, so non-commutative ops are
 * exact. ⌈log2 p⌉ rounds, any p.
 */
import { type TypedArray, copyInto, copyOf, received } from '../buffers.js';
import { type Exchange, protocolError } from '../exchange.js';
import type { Op } from '../ops/op.js';

/** Exclusive scan resolves with `NONE` on rank 0 (it has no prefix). */
export const NONE: unique symbol = Symbol('no prefix');

export async function scanValues(ex: Exchange, mine: unknown, op: Op, exclusive: boolean): Promise<unknown> {
  const p = ex.size, r = ex.rank;
  let partial = mine;
  let result: unknown = exclusive ? NONE : mine;
  for (let m = 1; m < p; m *= 2) {
    const partner = r ^ m;
    if (partner >= p) continue;
    const got = await ex.sendrecv(partner, ex.failed ? undefined : [partial]);
    if (got === undefined) continue;
    if (!Array.isArray(got) || got.length !== 1) { ex.fail(protocolError(ex, 'expected a wrapped value')); continue; }
    const other = got[0] as unknown;
    ex.attempt(() => {
      if (partner < r) {
        result = result === NONE ? other : op.apply(other, result);
        partial = op.apply(other, partial);
      } else {
        partial = op.apply(partial, other);
      }
    });
  }
  return result;
}

/** `send` is undefined only after a failure; `recv` has `send.length` elements (or is `send`, for IN_PLACE). */
export async function scanBuffer(ex: Exchange, send: TypedArray | undefined, recv: TypedArray | undefined, op: Op, exclusive: boolean): Promise<void> {
  const p = ex.size, r = ex.rank;
  const partial = send && copyOf(send);
  let haveResult = !exclusive;
  if (send && !exclusive) copyInto(recv!, send);
  for (let m = 1; m < p; m *= 2) {
    const partner = r ^ m;
    if (partner >= p) continue;
    // The send completes before `partial` changes below.
    const got = await ex.sendrecv(partner, partial);
    if (got === undefined || !partial) continue;
    ex.attempt(() => {
      const other = received(got, partial, partial.length, ex.what);
      if (partner < r) {
        if (haveResult) op.reduceInto(other, recv!, recv!); else copyInto(recv!, other);
        haveResult = true;
        op.reduceInto(other, partial, partial);
      } else {
        op.reduceInto(partial, other, partial);
      }
    });
  }
}
