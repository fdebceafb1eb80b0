/**
 * Allreduce of large typed arrays on a few ranks (3 to
 * `tuning.directAllreduceMaxRanks`): a direct reduce-scatter (every rank sends
 * block d of its buffer to rank d, which folds the p blocks),
 * then a direct allgather of the reduced blocks, each received straight into
 * its place in `recv`. The same 2(p−1)/p of the buffer sent and received per
 * rank as Rabenseifner's halving and doubling (allreduce-buffer.ts), in two
 * rounds of p−1 concurrent messages instead of 2·⌈log2 p⌉ rounds of one.
 *
 * Why, on few ranks: all messages of a phase are in flight at once, one per
 * socket, so a rank blocks on a full socket buffer less often and ranks that
 * share a core wait for each other's turn in fewer rounds; and the rank's own
 * block, copied into the SIMD arena, is 1/p of the buffer instead of half.
 * Measured on 4 ranks over 2 cores, 1 MiB (per call, all ranks;
 * docs/performance.md): about half the context switches and fewer user and
 * kernel instructions. On many ranks the p−1 messages per phase cost more
 * than the rounds they save.
 *
 * The caller has checked that every rank passed the same size (and so takes
 * this form): the blocks are bare typed arrays, with no size bounds around them.
 */
import { binaryCode, bytesOf } from '@tsmpi/runtime';
import { type TypedArray, copyInto, ctorOf, received } from '../buffers.js';
import type { Exchange, Into } from '../exchange.js';
import type { Op } from '../ops/op.js';
import { isArena } from '../ops/simd.js';
import { floorPow2 } from './ranks.js';

/** The other ranks, starting after this one (so that not every rank writes to rank 0 first). */
function others(ex: Exchange): number[] {
  const p = ex.size, out: number[] = [];
  for (let k = 1; k < p; k++) out.push((ex.rank + k) % p);
  return out;
}

/** Large buffers: direct reduce-scatter, then direct allgather into `work` (the receive buffer). */
export async function directBlocks(ex: Exchange, send: TypedArray, work: TypedArray, op: Op): Promise<TypedArray | undefined> {
  const p = ex.size, r = ex.rank, u = op.unit;
  const items = work.length / u;
  const code = binaryCode(work);
  /** Block b is items [edge(b), edge(b + 1)). */
  const edge = (b: number) => Math.floor((b * items) / p);
  const span = (x: TypedArray, b: number) => x.subarray(edge(b) * u, edge(b + 1) * u);
  const count = (edge(r + 1) - edge(r)) * u;
  // One arena region per rank, 16-byte aligned (ops/simd.ts): the others' blocks of this rank's
  // range are received there, and this rank's own block is copied there, so the SIMD loop can fold them.
  const slot = Math.ceil((count * work.BYTES_PER_ELEMENT) / 16) * 16;
  const room = ex.scratch(p * slot, true) ?? new Uint8Array(p * slot);
  const simd = isArena(room.buffer);
  const region = (k: number) => room.subarray(k * slot, (k + 1) * slot);
  // Every receive of both phases is posted before the first send, so a rank that runs ahead finds
  // them: its first-phase block lands in its region, its reduced block straight in `work` (this
  // rank sent that block of `send` in the first phase and never reads it again; the sender sends
  // it only after it received that).
  const blocks = new Map<number, Promise<unknown>>();
  const gathering = new Map<number, Promise<unknown>>();
  for (const k of others(ex)) {
    const reg = region(k);
    const into: Into = (n, enc) => (n === count * work.BYTES_PER_ELEMENT && enc === code ? reg.subarray(0, n) : undefined);
    blocks.set(k, ex.recv(k, into));
  }
  for (const k of others(ex)) {
    const place = span(work, k);
    const into: Into = (n, enc) => (n === place.byteLength && enc === code ? bytesOf(place) : undefined);
    gathering.set(k, ex.recv(k, into));
  }
  for (const k of others(ex)) ex.send(k, span(send, k));

  const parts: (TypedArray | undefined)[] = [];
  for (let k = 0; k < p; k++) {
    if (k === r) { parts.push(span(send, r)); continue; }
    const data = await blocks.get(k);
    parts.push(data === undefined ? undefined : ex.attempt(() => received(data, work, count, ex.what)));
  }
  if (!ex.failed) {
    ex.attempt(() => {
      // The SIMD loop needs every operand in the arena: this rank's block, and any block that came
      // before this call posted its receives (a rank that finished the previous call first).
      const views = parts.map((v, k) => {
        if (!simd || v!.buffer === room.buffer) return v!;
        const place = viewOf(work, room, k * slot, count);
        place.set(v as never);
        return place;
      });
      // Fold in the order of every other form (recursive doubling, halving and doubling): a pairwise
      // tree over the ranks after the fold of a non-power-of-two group (ranks 2i and 2i+1 below
      // 2·extra first), lower rank on the left; so the result is bitwise the same whichever form
      // ran. Each pair's result goes into one of its operands that this call owns (never `send`).
      const mine = parts[r];
      const pair = (a: TypedArray, b: TypedArray) => {
        const out = a === mine ? b : a;
        op.reduceInto(a, b, out);
        return out;
      };
      const core = floorPow2(p), extra = p - core;
      let level = [...Array.from({ length: extra }, (_, i) => pair(views[2 * i]!, views[2 * i + 1]!)), ...views.slice(2 * extra)];
      while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => pair(level[2 * i]!, level[2 * i + 1]!));
      const out = level[0]!;
      copyInto(work, out, edge(r) * u);
    });
  }
  for (const k of others(ex)) ex.send(k, span(work, r));
  for (const k of others(ex)) {
    const got = await gathering.get(k);
    if (got !== undefined) ex.attempt(() => copyInto(work, received(got, work, (edge(k + 1) - edge(k)) * u, ex.what), edge(k) * u));
  }
  return ex.failed ? undefined : work;
}

/** `count` elements of `model`'s kind over `bytes` from byte `off`. */
function viewOf(model: TypedArray, bytes: Uint8Array, off: number, count: number): TypedArray {
  const Ctor = ctorOf(model) as unknown as new (b: ArrayBufferLike, off: number, n: number) => TypedArray;
  return new Ctor(bytes.buffer, bytes.byteOffset + off, count);
}
