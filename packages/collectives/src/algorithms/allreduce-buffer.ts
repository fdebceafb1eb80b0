/**
 * Allreduce of typed arrays.
 *
 * - Small buffers, and any non-commutative op: recursive doubling (see
 *   allreduce.ts), ⌈log2 p⌉ rounds moving the whole buffer each round.
 * - Buffers of `tuning.largeMessageBytes` or more with a commutative op:
 *   Rabenseifner's reduce-scatter + allgather. Recursive halving leaves each
 *   core rank with the reduced values of 1/core of the buffer, recursive
 *   doubling gathers them back: 2⌈log2 p⌉ rounds but only about 2n elements
 *   sent per rank (instead of n·log2 p).
 *
 * Non-power-of-two groups fold first (even ranks below 2·extra hand their
 * data to the next rank and get the result back at the end).
 *
 * Memory: large messages are received into the communicator's reused scratch
 * buffers (partial results, only read by the reduction or copied into
 * `recv`), and the allgather phase receives each range straight into its
 * place in `recv`; no fresh buffer per message (see scratch.ts for why).
 *
 * Each rank picks its algorithm from its own buffer size, so a rank whose
 * buffer differs from the others' could pick another schedule and hang. To
 * rule that out, both algorithms exchange with the same partners in their
 * first phase, and every message of that phase carries the smallest and
 * largest byte length seen so far: at the end of it every rank knows the
 * global extremes, and if they differ all ranks skip the second phase and
 * reject with TSMPI_ERR_TRUNCATE.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, copyInto, inPlace, received, viewIn } from '../buffers.js';
import { type Exchange, type Into, protocolError } from '../exchange.js';
import type { Op } from '../ops/op.js';
import { isArena } from '../ops/simd.js';
import { HALVING_FRAME_SLACK_BYTES } from '../constants.js';
import { tuning } from '../tuning.js';
import { fitsBoundedFrame, packBounded, unpackBounded } from './bounded-frame.js';
import { fold } from './ranks.js';
import { bufferReduction } from './reduction.js';

/**
 * `send` is undefined only if this rank already failed (bad arguments);
 * otherwise `recv` is a buffer of `send.length` elements (possibly `send`
 * itself, for IN_PLACE).
 */
export async function allreduceBuffer(ex: Exchange, send: TypedArray | undefined, recv: TypedArray | undefined, op: Op): Promise<void> {
  const p = ex.size, r = ex.rank;
  const f = fold(r, p);
  const bytes = send?.byteLength ?? -1;
  const large = send !== undefined && op.commute && p > 1 && bytes >= tuning.largeMessageBytes;
  let least = bytes, most = bytes;
  // Small payloads (the usual case) go as a bounded frame, bare bytes with the bounds behind them;
  // failure notes and large payloads as [least, most, payload] through the value codec.
  const header = (payload: TypedArray | undefined): unknown =>
    (payload !== undefined && !ex.failed && fitsBoundedFrame(payload) ? packBounded(payload, least, most) : [least, most, ex.out(payload)]);
  /** Adopt a first-phase message's size bounds; its payload, or undefined. */
  const open = (msg: unknown): TypedArray | undefined => {
    if (msg === undefined) return undefined;
    let data: unknown, low: number, high: number;
    const bounded = unpackBounded(msg);
    if (bounded) {
      ({ least: low, most: high } = bounded);
      data = ex.in(bounded.data);
    } else if (Array.isArray(msg) && msg.length === 3 && typeof msg[0] === 'number' && typeof msg[1] === 'number') {
      [low, high] = msg as [number, number];
      data = ex.in(msg[2]);
    } else {
      ex.fail(protocolError(ex, 'malformed allreduce message'));
      return undefined;
    }
    least = Math.min(least, low);
    most = Math.max(most, high);
    if (least !== most && !ex.failed) {
      ex.fail(tsmpiError(ErrorCode.TRUNCATE, `${ex.what}: the buffers differ in size between ranks (from ${least} to ${most} bytes); pass buffers of the same length and kind on every rank`));
    }
    return ex.failed ? undefined : (data as TypedArray);
  };
  const red = send && bufferReduction(ex, op, send);

  if (f.newRank < 0) {
    ex.sendRaw(r + 1, header(send));
    const res = open(await ex.recvRaw(r + 1, ex.intoScratch));
    if (res !== undefined) ex.attempt(() => copyInto(recv!, red!.unwrap(res)));
    return;
  }
  let acc = send;
  if (r < 2 * f.extra) {
    const lower = open(await ex.recvRaw(r - 1, ex.intoScratch));
    const a = acc;
    acc = lower === undefined || a === undefined ? undefined : ex.attempt(() => red!.combine(red!.unwrap(lower), a));
  }

  let result: TypedArray | undefined;
  if (!large) {
    for (let m = 1; m < f.core; m *= 2) {
      const partner = f.newRank ^ m;
      const other = open(await ex.sendrecvRaw(f.toOld(partner), header(acc), f.toOld(partner), ex.intoScratch));
      const a = acc;
      acc = other === undefined || a === undefined ? undefined
        : ex.attempt(() => (partner < f.newRank ? red!.combine(red!.unwrap(other), a) : red!.combine(a, red!.unwrap(other))));
    }
    result = acc;
  } else {
    result = await rabenseifner(ex, f.newRank, f.core, f.toOld, acc, recv!, op, header, open, () => least === most);
  }

  if (r < 2 * f.extra) ex.sendRaw(r - 1, header(result));
  if (result !== undefined && !ex.failed) copyInto(recv!, result);
}

async function rabenseifner(
  ex: Exchange, me: number, core: number, toOld: (v: number) => number,
  acc: TypedArray | undefined, work: TypedArray, op: Op,
  header: (payload: TypedArray | undefined) => unknown,
  open: (msg: unknown) => TypedArray | undefined,
  agreed: () => boolean,
): Promise<TypedArray | undefined> {
  const u = op.unit;
  const span = (x: TypedArray, a: number, b: number) => x.subarray(a * u, b * u);
  // The schedule: recursive halving with growing distance (the partners of recursive doubling).
  // Each round keeps half of the current item range [lo, hi) and reduces the partner's copy of it
  // into it; the allgather phase then gets the halves given away back, in reverse order.
  const steps: { partner: number; lo: number; mid: number; hi: number; keptLow: boolean }[] = [];
  for (let m = 1, a = 0, b = work.length / u; m < core; m *= 2) {
    const mid = a + Math.floor((b - a) / 2);
    const keptLow = (me & m) === 0;
    steps.push({ partner: toOld(me ^ m), lo: a, mid, hi: b, keptLow });
    if (keptLow) b = mid; else a = mid;
  }
  const kept = (s: (typeof steps)[number]) => (s.keptLow ? [s.lo, s.mid] : [s.mid, s.hi]) as [number, number];
  // The halving phase works in one scratch arena (see scratch.ts and ops/simd.ts): the sums, over
  // the range kept in the first round (item `base` at offset 0), then one receive region per round
  // (the partner sends the range this rank keeps). Received there and summed there, the reduction
  // runs as a SIMD loop; no part of the program's buffers is written before the allgather phase.
  const itemBytes = u * work.BYTES_PER_ELEMENT;
  const [base, baseEnd] = kept(steps[0]!);
  const at: number[] = [];
  let total = (baseEnd - base) * itemBytes;
  for (const s of steps) {
    total = Math.ceil(total / 16) * 16;
    at.push(total);
    const [a, b] = kept(s);
    total += (b - a) * itemBytes + HALVING_FRAME_SLACK_BYTES;
  }
  const room = ex.scratch(total, true) ?? new Uint8Array(total);
  const simd = isArena(room.buffer);
  const view = (off: number, items: number) => viewIn(work, room, off, items * u);
  const sums = view(0, baseEnd - base);
  // Every receive is posted before the first send, so a partner that runs ahead still finds it and
  // its large message lands in place instead of a fresh buffer: a halving round's range in its
  // region of the arena, an allgather round's range straight into its place in `work` (this rank
  // gave that range away in the matching halving round and never touches it again; the partner
  // sends it only after receiving that round's data).
  const halving = steps.map((s, i) => {
    const [a, b] = kept(s);
    // The message is [least, most, range] through the value codec: the range lies inside it, a
    // few dozen bytes from its start (the codec keeps binary data 8-byte aligned).
    const region = room.subarray(at[i]!, at[i]! + (b - a) * itemBytes + HALVING_FRAME_SLACK_BYTES);
    const into: Into = (n) => (n <= region.byteLength ? region.subarray(0, n) : undefined);
    return ex.expectRaw(s.partner, into);
  });
  const gathering = steps.map((s) => {
    const place = s.keptLow ? span(work, s.mid, s.hi) : span(work, s.lo, s.mid);
    return ex.expect(s.partner, inPlace(place));
  });
  // The first round reads `acc` (the program's buffer) and writes its sums into `sums`; later
  // rounds work in `sums` alone (the half given away is never needed again).
  let from = acc, fromBase = 0;
  for (let i = 0; i < steps.length; i++) {
    const { partner, lo, mid, hi, keptLow } = steps[i]!;
    const [ka, kb, ga, gb] = keptLow ? [lo, mid, mid, hi] : [mid, hi, lo, mid];
    const got = open(await ex.afterSend(ex.sendRaw(partner, header(from && span(from, ga - fromBase, gb - fromBase))), halving[i]!.got));
    if (got !== undefined && from !== undefined) {
      const src = from, srcBase = fromBase;
      ex.attempt(() => {
        let mine = span(src, ka - srcBase, kb - srcBase);
        const out = span(sums, ka - base, kb - base);
        // The SIMD loop needs both operands in the arena: copy this rank's part in first, and the
        // partner's when it came before this call posted its receives (a partner that finished the
        // previous call first: about a quarter of the messages in a loop of 1 MiB Allreduce calls on
        // 4 ranks), a copy being cheaper than the JavaScript loop.
        if (simd && mine.buffer !== room.buffer) { out.set(mine as never); mine = out; }
        let theirs = received(got, work, mine.length, ex.what);
        if (simd && theirs.buffer !== room.buffer) {
          const place = viewIn(work, room, at[i]!, theirs.length);
          place.set(theirs as never);
          theirs = place;
        }
        if (toOld(me) > partner) op.reduceInto(theirs, mine, out); else op.reduceInto(mine, theirs, out);
      });
    }
    if (ex.failed) from = undefined; else { from = sums; fromBase = base; }
  }
  // Sizes disagree somewhere: every rank knows it now and stops here (its partners may have taken
  // the other algorithm and never send the allgather phase).
  if (!agreed()) {
    for (const g of gathering) g.cancel();
    return undefined;
  }
  // This rank's reduced range goes to its place in `work`, from where the allgather phase sends it.
  const [fa, fb] = kept(steps[steps.length - 1]!);
  if (from !== undefined) copyInto(work, span(sums, fa - base, fb - base), fa * u);
  // Recursive doubling in reverse order gathers the reduced ranges back.
  for (let i = steps.length - 1; i >= 0; i--) {
    const { partner, lo, mid, hi, keptLow } = steps[i]!;
    const [a, b] = keptLow ? [lo, mid] : [mid, hi];
    const [pa, pb] = keptLow ? [mid, hi] : [lo, mid];
    const got = await ex.afterSend(ex.send(partner, span(work, a, b)), gathering[i]!.got);
    if (got !== undefined) ex.attempt(() => copyInto(work, received(got, work, (pb - pa) * u, ex.what), pa * u));
  }
  return ex.failed ? undefined : work;
}
