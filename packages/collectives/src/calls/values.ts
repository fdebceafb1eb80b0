/**
 * The lowercase (mpi4py "pickle") family: any value the runtime can send.
 * Results keep rank order for every op (SUM concatenates strings and arrays,
 * and any function may be an op), so reductions of values always combine
 * `op(lower rank's, higher rank's)`.
 */
import { ErrorCode, decodeValue, describe, encodeValue, tsmpiError } from '@tsmpi/runtime';
import { bruckAllgather } from '../algorithms/allgather.js';
import { recursiveDoublingAllreduce } from '../algorithms/allreduce.js';
import { pairwiseAlltoall } from '../algorithms/alltoall.js';
import { disseminationBarrier } from '../algorithms/barrier.js';
import { bcastBytes } from '../algorithms/bcast.js';
import { binomialGather } from '../algorithms/gather.js';
import { reduceToRoot } from '../algorithms/reduce.js';
import { valueReduction } from '../algorithms/reduction.js';
import { NONE, scanValues } from '../algorithms/scan.js';
import { binomialScatter } from '../algorithms/scatter.js';
import { protocolError } from '../exchange.js';
import { toOp } from '../ops/op.js';
import { type Host, checkRoot, rankOrder, relativeOrder } from './host.js';
import { tooLarge } from '../buffers.js';

export async function barrier(c: Host): Promise<void> {
  const ex = c.collective('barrier');
  await disseminationBarrier(ex);
  return ex.finish(undefined);
}

export async function bcast<T>(c: Host, value: T, root: number): Promise<T> {
  checkRoot(root, c.size, 'bcast');
  const ex = c.collective('bcast');
  const isRoot = c.rank === root;
  // The root encodes once; the bytes travel untouched and each rank decodes once.
  const bytes = isRoot ? ex.attempt(() => {
    const enc = encodeValue(value);
    tooLarge(enc.byteLength, 'the bcast value');
    return concat(enc.parts);
  }) : undefined;
  const got = await bcastBytes(ex.rooted(root), bytes, 'value');
  if (isRoot) return ex.finish(value);
  const v = got && ex.attempt(() => decodeValue(got.bytes));
  return ex.finish(v as T);
}

export async function scatter<T>(c: Host, values: readonly T[] | null | undefined, root: number): Promise<T> {
  checkRoot(root, c.size, 'scatter');
  const ex = c.collective('scatter');
  const isRoot = c.rank === root;
  const blocks = isRoot ? ex.attempt(() => relativeOrder(sized(values, c.size, 'scatter'), root)) : undefined;
  const mine = await binomialScatter(ex.rooted(root), blocks);
  return ex.finish(mine as T);
}

export async function gather<T>(c: Host, value: T, root: number): Promise<T[] | null> {
  checkRoot(root, c.size, 'gather');
  const ex = c.collective('gather');
  const list = await binomialGather(ex.rooted(root), value);
  return ex.finish(c.rank === root && list ? rankOrder(list as T[], root) : null);
}

export async function allgather<T>(c: Host, value: T): Promise<T[]> {
  const ex = c.collective('allgather');
  const all: unknown[] = new Array(c.size);
  all[c.rank] = value;
  await bruckAllgather(ex, { get: (i) => all[i], put: (i, v) => { all[i] = v; } });
  return ex.finish(all as T[]);
}

export async function alltoall<T>(c: Host, values: readonly T[]): Promise<T[]> {
  const ex = c.collective('alltoall');
  const mine = ex.attempt(() => sized(values, c.size, 'alltoall'));
  const out: unknown[] = new Array(c.size);
  if (mine) out[c.rank] = mine[c.rank];
  await pairwiseAlltoall(ex, (dest) => [mine![dest]], (src, msg) => {
    if (!Array.isArray(msg) || msg.length !== 1) throw protocolError(ex, 'expected a wrapped value');
    out[src] = msg[0];
  });
  return ex.finish(out as T[]);
}

export async function reduce<T>(c: Host, value: T, op: unknown, root: number): Promise<T | null> {
  const o = toOp(op);
  checkRoot(root, c.size, 'reduce');
  const ex = c.collective('reduce');
  const r = await reduceToRoot(ex, root, value, valueReduction(ex, o), false);
  return ex.finish(c.rank === root ? (r as T) : null);
}

export async function allreduce<T>(c: Host, value: T, op: unknown): Promise<T> {
  const o = toOp(op);
  const ex = c.collective('allreduce');
  const r = await recursiveDoublingAllreduce(ex, value, valueReduction(ex, o));
  return ex.finish(r as T);
}

export async function scan<T>(c: Host, value: T, op: unknown, exclusive: boolean): Promise<T | null> {
  const o = toOp(op);
  const ex = c.collective(exclusive ? 'exscan' : 'scan');
  const r = await scanValues(ex, value, o, exclusive);
  return ex.finish(r === NONE ? null : (r as T));
}

function sized<T>(values: readonly T[] | null | undefined, size: number, what: string): readonly T[] {
  if (!Array.isArray(values) || values.length !== size) {
    const got = Array.isArray(values) ? `an array of ${values.length}` : describe(values);
    throw tsmpiError(ErrorCode.ARG, `${what} needs an array of one value per rank (${size}), got ${got}`);
  }
  return values;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.byteLength; }
  return out;
}
