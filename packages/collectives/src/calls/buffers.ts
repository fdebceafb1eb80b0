/**
 * The Uppercase (mpi4py buffer) family: typed arrays filled in place, blocks
 * sent as views without copying. Sizes are in elements; a buffer of the wrong
 * size rejects with TSMPI_ERR_TRUNCATE on the rank that passed it, and on
 * every rank whose result would have depended on it.
 */
import { ErrorCode, bytesOf, tsmpiError } from '@tsmpi/runtime';
import { bruckAllgather, doublingAllgather } from '../algorithms/allgather.js';
import { allreduceBuffer } from '../algorithms/allreduce-buffer.js';
import { pairwiseAlltoall } from '../algorithms/alltoall.js';
import { bcastBytes } from '../algorithms/bcast.js';
import { rangeGather } from '../algorithms/gather.js';
import { reduceScatterBlock } from '../algorithms/reduce-scatter.js';
import { reduceToRoot } from '../algorithms/reduce.js';
import { arenaReduction, bufferReduction } from '../algorithms/reduction.js';
import { scanBuffer } from '../algorithms/scan.js';
import { rangeScatter } from '../algorithms/scatter.js';
import { type TypedArray, alloc, checkLength, copyInto, copyOf, inPlace, kindOf, received, typed, viewIn } from '../buffers.js';
import { IN_PLACE } from '../constants.js';
import { type Op, toOp } from '../ops/op.js';
import type { Exchange } from '../exchange.js';
import { blockLength, sameKind, sameShape, sendOrInPlace } from './args.js';
import { type Host, checkRoot } from './host.js';

export async function Bcast(c: Host, buf: unknown, root: number): Promise<void> {
  checkRoot(root, c.size, 'Bcast');
  const ex = c.collective('Bcast');
  const isRoot = c.rank === root;
  // A bad buffer at the root spoils everyone's result; elsewhere only the rank's own.
  const b = isRoot ? ex.attempt(() => typed(buf, 'Bcast buffer')) : ex.attemptLocal(() => typed(buf, 'Bcast buffer'));
  const mine = b && bytesOf(b);
  // Large broadcasts assemble straight into the buffer when it matches the root's.
  const into = (n: number, kind: string) => (b && mine && kind === kindOf(b) && n === mine.byteLength ? mine : undefined);
  // Messages land in scratch buffers: the bytes are copied into the buffer below.
  const got = await bcastBytes(ex.rooted(root), isRoot ? mine : undefined, b ? kindOf(b) : '', into, ex.intoScratch);
  if (!isRoot && got && b && mine) {
    ex.attemptLocal(() => {
      if (got.kind !== kindOf(b)) {
        throw tsmpiError(ErrorCode.BUFFER, `Bcast: the root broadcasts a ${got.kind} into this rank's ${kindOf(b)}; use the same kind on every rank`);
      }
      if (got.bytes.byteLength !== mine.byteLength) {
        throw tsmpiError(ErrorCode.TRUNCATE, `Bcast: the root broadcasts ${got.bytes.byteLength} bytes but this rank's buffer has ${mine.byteLength}; pass buffers of the same size on every rank`);
      }
      if (got.bytes !== mine) mine.set(got.bytes);
    });
  }
  return ex.finish(undefined);
}

export async function Scatter(c: Host, sendbuf: unknown, recvbuf: unknown, root: number): Promise<void> {
  checkRoot(root, c.size, 'Scatter');
  const ex = c.collective('Scatter');
  const p = c.size;
  if (c.rank === root) {
    const a = ex.attempt(() => {
      const s = typed(sendbuf, 'Scatter send buffer');
      const n = blockLength(s, p, 'Scatter send buffer');
      const r = recvbuf === IN_PLACE ? undefined : typed(recvbuf, 'Scatter receive buffer');
      if (r) { sameKind(s, r, 'Scatter'); checkLength(r.length, n, 'Scatter receive buffer'); }
      return { s, r, n };
    });
    // Relative ranks first.. count blocks: one range of the send buffer, or two pieces joined in scratch
    // where it wraps around the buffer's end (kept until the call ends, as a send may still read it).
    const range = a && ((first: number, count: number): TypedArray => {
      const start = (root + first) % p, head = Math.min(count, p - start);
      if (head === count) return a.s.subarray(start * a.n, (start + count) * a.n);
      const room = ex.scratch(count * a.n * a.s.BYTES_PER_ELEMENT);
      const joined = room ? viewIn(a.s, room, 0, count * a.n) : alloc(a.s, count * a.n);
      joined.set(a.s.subarray(start * a.n) as never, 0);
      joined.set(a.s.subarray(0, (count - head) * a.n) as never, head * a.n);
      return joined;
    });
    await rangeScatter(ex.rooted(root), range, undefined);
    if (a?.r) copyInto(a.r, a.s.subarray(root * a.n, (root + 1) * a.n));
  } else {
    const r = ex.attemptLocal(() => typed(recvbuf, 'Scatter receive buffer'));
    const mine = await rangeScatter(ex.rooted(root), undefined, r);
    if (mine !== undefined && r) ex.attemptLocal(() => copyInto(r, received(mine, r, r.length, 'Scatter')));
  }
  return ex.finish(undefined);
}

export async function Gather(c: Host, sendbuf: unknown, recvbuf: unknown, root: number): Promise<void> {
  checkRoot(root, c.size, 'Gather');
  const ex = c.collective('Gather');
  const p = c.size;
  if (c.rank !== root) {
    const s = ex.attempt(() => typed(sendbuf, 'Gather send buffer'));
    await rangeGather(ex.rooted(root), s, s?.length ?? 0, () => undefined, () => {});
    return ex.finish(undefined);
  }
  const a = ex.attempt(() => {
    const r = typed(recvbuf, 'Gather receive buffer');
    const n = blockLength(r, p, 'Gather receive buffer');
    const s = sendbuf === IN_PLACE ? undefined : typed(sendbuf, 'Gather send buffer');
    if (s) { sameKind(s, r, 'Gather'); checkLength(s.length, n, 'Gather send buffer'); }
    return { r, s, n };
  });
  if (a?.s) copyInto(a.r, a.s, root * a.n);
  // Relative ranks first.. count blocks: one range of the receive buffer unless it wraps around its end.
  const start = (first: number) => (root + first) % p;
  await rangeGather(ex.rooted(root), undefined, a?.n ?? 0,
    (first, count) => (a && start(first) + count <= p ? a.r.subarray(start(first) * a.n, (start(first) + count) * a.n) : undefined),
    (first, count, b) => {
      const got = received(b, a!.r, count * a!.n, 'Gather');
      for (let j = 0; j < count; j++) copyInto(a!.r, got.subarray(j * a!.n, (j + 1) * a!.n), start(first + j) * a!.n);
    });
  return ex.finish(undefined);
}

export async function Allgather(c: Host, sendbuf: unknown, recvbuf: unknown): Promise<void> {
  const ex = c.collective('Allgather');
  const p = c.size, me = c.rank;
  const a = ex.attempt(() => {
    const r = typed(recvbuf, 'Allgather receive buffer');
    const n = blockLength(r, p, 'Allgather receive buffer');
    const s = sendbuf === IN_PLACE ? undefined : typed(sendbuf, 'Allgather send buffer');
    if (s) { sameKind(s, r, 'Allgather'); checkLength(s.length, n, 'Allgather send buffer'); }
    return { r, s, n };
  });
  if (a?.s) copyInto(a.r, a.s, me * a.n);
  if ((p & (p - 1)) === 0) {
    // Each round's blocks are one range of the receive buffer, received in place (doublingAllgather).
    await doublingAllgather(ex, (first, count) => a?.r.subarray(first * a.n, (first + count) * a.n),
      (first, count, b) => copyInto(a!.r, received(b, a!.r, count * a!.n, 'Allgather'), first * a!.n));
  } else {
    await bruckAllgather(ex, {
      get: (i) => a!.r.subarray(i * a!.n, (i + 1) * a!.n),
      put: (i, b) => copyInto(a!.r, received(b, a!.r, a!.n, 'Allgather'), i * a!.n),
    }, ex.intoScratch, true);
  }
  return ex.finish(undefined);
}

export async function Alltoall(c: Host, sendbuf: unknown, recvbuf: unknown): Promise<void> {
  const ex = c.collective('Alltoall');
  const p = c.size, me = c.rank;
  const a = ex.attempt(() => {
    const r = typed(recvbuf, 'Alltoall receive buffer');
    const n = blockLength(r, p, 'Alltoall receive buffer');
    // In place, blocks are sent from a copy: the receive buffer fills while sends may be in flight.
    const s = sendbuf === IN_PLACE ? copyOf(r) : typed(sendbuf, 'Alltoall send buffer');
    sameShape(s, r, 'Alltoall');
    return { r, s, n };
  });
  if (a) copyInto(a.r, a.s.subarray(me * a.n, (me + 1) * a.n), me * a.n);
  await pairwiseAlltoall(
    ex,
    (dest) => a!.s.subarray(dest * a!.n, (dest + 1) * a!.n),
    (src, b) => copyInto(a!.r, received(b, a!.r, a!.n, 'Alltoall'), src * a!.n),
    // Each block straight into its place in the receive buffer.
    (src) => a && inPlace(a.r.subarray(src * a.n, (src + 1) * a.n)),
  );
  return ex.finish(undefined);
}

export async function Reduce(c: Host, sendbuf: unknown, recvbuf: unknown, op: unknown, root: number): Promise<void> {
  const o = toOp(op);
  checkRoot(root, c.size, 'Reduce');
  const ex = c.collective('Reduce');
  const isRoot = c.rank === root;
  const a = ex.attempt(() => {
    const r = isRoot ? typed(recvbuf, 'Reduce receive buffer') : undefined;
    const s = r ? sendOrInPlace(sendbuf, r, 'Reduce send buffer') : typed(sendbuf, 'Reduce send buffer');
    if (r) sameShape(s, r, 'Reduce');
    o.checkUnits(s.length);
    return { r, s };
  });
  // Partial results arrive in scratch buffers (one arena for ops with a SIMD loop: one slot per
  // child of the binomial tree, ⌈log2 p⌉ at most, and this rank's own): the root copies the result
  // into its buffer.
  const model = a?.s ?? new Uint8Array(0);
  const red = arenaReduction(ex, o, model, Math.ceil(Math.log2(c.size)) + 1) ?? bufferReduction(ex, o, model, ex.intoScratch);
  const result = await reduceToRoot(ex, root, a?.s, red, o.commute);
  if (isRoot && result && a?.r && !ex.failed) copyInto(a.r, result);
  return ex.finish(undefined);
}

/** Shared checks of Allreduce, Scan and Exscan: `[send, recv]` of one kind and length. */
function sendRecv(ex: Exchange, sendbuf: unknown, recvbuf: unknown, o: Op, what: string) {
  return ex.attempt(() => {
    const r = typed(recvbuf, `${what} receive buffer`);
    const s = sendOrInPlace(sendbuf, r, `${what} send buffer`);
    sameShape(s, r, what);
    o.checkUnits(s.length);
    return { s, r };
  });
}

export async function Allreduce(c: Host, sendbuf: unknown, recvbuf: unknown, op: unknown): Promise<void> {
  const o = toOp(op);
  const ex = c.collective('Allreduce');
  const a = sendRecv(ex, sendbuf, recvbuf, o, 'Allreduce');
  await allreduceBuffer(ex, a?.s, a?.r, o);
  return ex.finish(undefined);
}

export async function Scan(c: Host, sendbuf: unknown, recvbuf: unknown, op: unknown, exclusive: boolean): Promise<void> {
  const o = toOp(op);
  const what = exclusive ? 'Exscan' : 'Scan';
  const ex = c.collective(what);
  const a = sendRecv(ex, sendbuf, recvbuf, o, what);
  await scanBuffer(ex, a?.s, a?.r, o, exclusive);
  return ex.finish(undefined);
}

export async function Reduce_scatter_block(c: Host, sendbuf: unknown, recvbuf: unknown, op: unknown): Promise<void> {
  const o = toOp(op);
  const ex = c.collective('Reduce_scatter_block');
  const p = c.size;
  const a = ex.attempt(() => {
    const r = typed(recvbuf, 'Reduce_scatter_block receive buffer');
    if (sendbuf === IN_PLACE) {
      // In place the receive buffer holds all p blocks; the result lands in its first block.
      const n = blockLength(r, p, 'Reduce_scatter_block receive buffer (in place)');
      o.checkUnits(n);
      return { s: r, r: r.subarray(0, n), n };
    }
    const s = typed(sendbuf, 'Reduce_scatter_block send buffer');
    sameKind(s, r, 'Reduce_scatter_block');
    checkLength(s.length, r.length * p, 'Reduce_scatter_block send buffer');
    o.checkUnits(r.length);
    return { s, r, n: r.length };
  });
  await reduceScatterBlock(ex, a?.s, a?.r, a?.n ?? -1, o);
  return ex.finish(undefined);
}
