/**
 * Reduce_scatter_block: the element-wise reduction of every rank's n·p
 * elements, block i of which ends at rank i.
 *
 * - Commutative op: recursive halving. After the fold of a non-power-of-two
 *   group, core rank v stands for the contiguous blocks of its old ranks; in
 *   round k (distance core/2^(k+1)) each rank sends the half of its current
 *   range that belongs to the partner's side and reduces the half it keeps.
 *   ⌈log2 p⌉ (+2) rounds, about n·p elements sent per rank in all.
 * - Otherwise: an ordered binomial reduce to rank 0, then a binomial scatter
 *   (2⌈log2 p⌉ rounds).
 *
 * Every halving message carries the sender's block length, so a rank with a
 * buffer of another size fails with TSMPI_ERR_TRUNCATE instead of mixing data.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, copyInto, copyOf, received } from '../buffers.js';
import { type Exchange, protocolError } from '../exchange.js';
import type { Op } from '../ops/op.js';
import { fold } from './ranks.js';
import { reduceToRoot } from './reduce.js';
import { bufferReduction } from './reduction.js';
import { binomialScatter } from './scatter.js';

/** `send` (n·p elements) is undefined only after a failure; `recv` then may be too. */
export async function reduceScatterBlock(ex: Exchange, send: TypedArray | undefined, recv: TypedArray | undefined, n: number, op: Op): Promise<void> {
  if (op.commute) return halving(ex, send, recv, n, op);
  const red = send && bufferReduction(ex, op, send);
  const total = await reduceToRoot(ex, 0, send, red!, false);
  const blocks = ex.rank === 0 && total ? Array.from({ length: ex.size }, (_, i) => total.subarray(i * n, (i + 1) * n)) : undefined;
  const mine = await binomialScatter(ex.rooted(0), blocks);
  if (mine !== undefined) ex.attempt(() => copyInto(recv!, received(mine, recv!, n, ex.what)));
}

async function halving(ex: Exchange, send: TypedArray | undefined, recv: TypedArray | undefined, n: number, op: Op): Promise<void> {
  const p = ex.size, r = ex.rank;
  const f = fold(r, p);
  const header = (payload: TypedArray | undefined) => [n, ex.out(payload)];
  const open = (msg: unknown): TypedArray | undefined => {
    if (msg === undefined) return undefined;
    if (!Array.isArray(msg) || msg.length !== 2 || typeof msg[0] !== 'number') {
      ex.fail(protocolError(ex, 'malformed reduce-scatter message'));
      return undefined;
    }
    const data = ex.in(msg[1]);
    if (msg[0] !== n && !ex.failed) {
      ex.fail(tsmpiError(ErrorCode.TRUNCATE, `${ex.what}: a peer's blocks have ${msg[0]} elements and this rank's ${n}; pass buffers of the same size on every rank`));
    }
    return ex.failed ? undefined : (data as TypedArray);
  };

  if (f.newRank < 0) {
    ex.sendRaw(r + 1, header(send));
    const mine = open(await ex.recvRaw(r + 1));
    if (mine !== undefined) ex.attempt(() => copyInto(recv!, received(mine, recv!, n, ex.what)));
    return;
  }
  const work = send && copyOf(send);
  if (r < 2 * f.extra) {
    const lower = open(await ex.recvRaw(r - 1));
    if (lower !== undefined && work) ex.attempt(() => op.reduceInto(received(lower, work, work.length, ex.what), work, work));
  }
  const start = (v: number) => f.firstOld(v) * n;
  let a = 0, b = f.core;
  for (let m = f.core / 2; m >= 1; m /= 2) {
    const mid = a + m;
    const keepLow = f.newRank < mid;
    const [ka, kb, ga, gb] = keepLow ? [a, mid, mid, b] : [mid, b, a, mid];
    const partner = f.newRank ^ m;
    const got = open(await ex.sendrecvRaw(f.toOld(partner), header(work?.subarray(start(ga), start(gb)))));
    if (got !== undefined && work) {
      ex.attempt(() => {
        const mine = work.subarray(start(ka), start(kb));
        const theirs = received(got, work, mine.length, ex.what);
        if (partner < f.newRank) op.reduceInto(theirs, mine, mine); else op.reduceInto(mine, theirs, mine);
      });
    }
    a = ka; b = kb;
  }
  if (r < 2 * f.extra) ex.sendRaw(r - 1, header(work?.subarray((r - 1) * n, r * n)));
  if (work && !ex.failed) copyInto(recv!, work.subarray(r * n, (r + 1) * n));
}
