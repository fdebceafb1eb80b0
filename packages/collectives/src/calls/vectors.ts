/**
 * The "v" variants of the buffer family: a different count (and
 * displacement) per rank, given as `[buf, counts, displs]` in elements.
 * Gatherv and Scatterv exchange directly with the root (only the root knows
 * the counts, so no rank could forward another's block); Allgatherv uses
 * Bruck's algorithm; Alltoallv the pairwise exchange; Reduce_scatter reduces
 * to rank 0 and scatters the blocks.
 */
import { bruckAllgather } from '../algorithms/allgather.js';
import { pairwiseAlltoall } from '../algorithms/alltoall.js';
import { linearGather, linearScatter } from '../algorithms/linear.js';
import { reduceToRoot } from '../algorithms/reduce.js';
import { bufferReduction } from '../algorithms/reduction.js';
import { checkLength, copyInto, copyOf, received, typed } from '../buffers.js';
import { IN_PLACE } from '../constants.js';
import { toOp } from '../ops/op.js';
import { type VectorSpec, countsOf, sameKind, vectorSpec } from './args.js';
import { type Host, checkRoot } from './host.js';

const block = (v: VectorSpec, i: number) => v.buf.subarray(v.displs[i]!, v.displs[i]! + v.counts[i]!);

export async function Scatterv(c: Host, sendspec: unknown, recvbuf: unknown, root: number): Promise<void> {
  checkRoot(root, c.size, 'Scatterv');
  const ex = c.collective('Scatterv');
  if (c.rank === root) {
    const a = ex.attempt(() => {
      const v = vectorSpec(sendspec, c.size, 'Scatterv send');
      const r = recvbuf === IN_PLACE ? undefined : typed(recvbuf, 'Scatterv receive buffer');
      if (r) { sameKind(v.buf, r, 'Scatterv'); checkLength(r.length, v.counts[root]!, 'Scatterv receive buffer'); }
      return { v, r };
    });
    await linearScatter(ex, root, (i) => block(a!.v, i));
    if (a?.r) copyInto(a.r, block(a.v, root));
  } else {
    const r = ex.attemptLocal(() => typed(recvbuf, 'Scatterv receive buffer'));
    const mine = await linearScatter(ex, root, () => undefined);
    if (mine !== undefined && r) ex.attemptLocal(() => copyInto(r, received(mine, r, r.length, 'Scatterv')));
  }
  return ex.finish(undefined);
}

export async function Gatherv(c: Host, sendbuf: unknown, recvspec: unknown, root: number): Promise<void> {
  checkRoot(root, c.size, 'Gatherv');
  const ex = c.collective('Gatherv');
  if (c.rank !== root) {
    const s = ex.attempt(() => typed(sendbuf, 'Gatherv send buffer'));
    await linearGather(ex, root, s, () => undefined);
    return ex.finish(undefined);
  }
  const a = ex.attemptLocal(() => {
    const v = vectorSpec(recvspec, c.size, 'Gatherv receive');
    const s = sendbuf === IN_PLACE ? undefined : typed(sendbuf, 'Gatherv send buffer');
    if (s) { sameKind(s, v.buf, 'Gatherv'); checkLength(s.length, v.counts[root]!, 'Gatherv send buffer'); }
    return { v, s };
  });
  if (a?.s) copyInto(a.v.buf, a.s, a.v.displs[root]!);
  await linearGather(ex, root, undefined, (i, b) => {
    if (a) copyInto(a.v.buf, received(b, a.v.buf, a.v.counts[i]!, 'Gatherv'), a.v.displs[i]!);
  });
  return ex.finish(undefined);
}

export async function Allgatherv(c: Host, sendbuf: unknown, recvspec: unknown): Promise<void> {
  const ex = c.collective('Allgatherv');
  const me = c.rank;
  const a = ex.attempt(() => {
    const v = vectorSpec(recvspec, c.size, 'Allgatherv receive');
    const s = sendbuf === IN_PLACE ? undefined : typed(sendbuf, 'Allgatherv send buffer');
    if (s) { sameKind(s, v.buf, 'Allgatherv'); checkLength(s.length, v.counts[me]!, 'Allgatherv send buffer'); }
    return { v, s };
  });
  if (a?.s) copyInto(a.v.buf, a.s, a.v.displs[me]!);
  await bruckAllgather(ex, {
    get: (i) => block(a!.v, i),
    put: (i, b) => copyInto(a!.v.buf, received(b, a!.v.buf, a!.v.counts[i]!, 'Allgatherv'), a!.v.displs[i]!),
  });
  return ex.finish(undefined);
}

export async function Alltoallv(c: Host, sendspec: unknown, recvspec: unknown): Promise<void> {
  const ex = c.collective('Alltoallv');
  const me = c.rank;
  const a = ex.attempt(() => {
    const r = vectorSpec(recvspec, c.size, 'Alltoallv receive');
    // In place, blocks are sent from a copy: the receive buffer fills while sends may be in flight.
    const s = sendspec === IN_PLACE ? { ...r, buf: copyOf(r.buf) } : vectorSpec(sendspec, c.size, 'Alltoallv send');
    sameKind(s.buf, r.buf, 'Alltoallv');
    checkLength(s.counts[me]!, r.counts[me]!, 'Alltoallv block this rank sends itself');
    return { s, r };
  });
  if (a) copyInto(a.r.buf, block(a.s, me), a.r.displs[me]!);
  await pairwiseAlltoall(
    ex,
    (dest) => block(a!.s, dest),
    (src, b) => copyInto(a!.r.buf, received(b, a!.r.buf, a!.r.counts[src]!, 'Alltoallv'), a!.r.displs[src]!),
  );
  return ex.finish(undefined);
}

/** Reduce_scatter: block i (recvcounts[i] elements) of the reduction ends at rank i. */
export async function Reduce_scatter(c: Host, sendbuf: unknown, recvbuf: unknown, recvcounts: unknown, op: unknown): Promise<void> {
  const o = toOp(op);
  const ex = c.collective('Reduce_scatter');
  const me = c.rank;
  const a = ex.attempt(() => {
    const r = typed(recvbuf, 'Reduce_scatter receive buffer');
    const counts = countsOf(recvcounts, c.size, 'Reduce_scatter recvcounts');
    const displs: number[] = [];
    let total = 0;
    for (const n of counts) { o.checkUnits(n); displs.push(total); total += n; }
    if (sendbuf === IN_PLACE) {
      // In place the receive buffer holds the whole input; the result lands at its start.
      checkLength(r.length, total, 'Reduce_scatter receive buffer (in place)');
      return { s: r, out: r.subarray(0, counts[me]), counts, displs };
    }
    const s = typed(sendbuf, 'Reduce_scatter send buffer');
    sameKind(s, r, 'Reduce_scatter');
    checkLength(s.length, total, 'Reduce_scatter send buffer');
    checkLength(r.length, counts[me]!, 'Reduce_scatter receive buffer');
    return { s, out: r, counts, displs };
  });
  const red = bufferReduction(ex, o, a?.s ?? new Uint8Array(0));
  const total = await reduceToRoot(ex, 0, a?.s, red, o.commute);
  const span = (i: number) => total!.subarray(a!.displs[i]!, a!.displs[i]! + a!.counts[i]!);
  const mine = await linearScatter(ex, 0, span);
  if (a && !ex.failed) {
    if (me === 0) copyInto(a.out, span(0));
    else if (mine !== undefined) ex.attempt(() => copyInto(a.out, received(mine, a.out, a.out.length, 'Reduce_scatter')));
  }
  return ex.finish(undefined);
}
