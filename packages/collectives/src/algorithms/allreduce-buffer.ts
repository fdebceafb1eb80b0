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
 * Each rank picks its algorithm from its own buffer size, so a rank whose
 * buffer differs from the others' could pick another schedule and hang. To
 * rule that out, both algorithms exchange with the same partners in their
 * first phase, and every message of that phase carries the smallest and
 * largest byte length seen so far: at the end of it every rank knows the
 * global extremes, and if they differ all ranks skip the second phase and
 * reject with TSMPI_ERR_TRUNCATE.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, copyInto, received } from '../buffers.js';
import { type Exchange, protocolError } from '../exchange.js';
import type { Op } from '../ops/op.js';
import { tuning } from '../tuning.js';
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
  const header = (payload: TypedArray | undefined) => [least, most, ex.out(payload)];
  /** Adopt a first-phase message's size bounds; its payload, or undefined. */
  const open = (msg: unknown): TypedArray | undefined => {
    if (msg === undefined) return undefined;
    if (!Array.isArray(msg) || msg.length !== 3 || typeof msg[0] !== 'number' || typeof msg[1] !== 'number') {
      ex.fail(protocolError(ex, 'malformed allreduce message'));
      return undefined;
    }
    const data = ex.in(msg[2]);
    least = Math.min(least, msg[0]);
    most = Math.max(most, msg[1]);
    if (least !== most && !ex.failed) {
      ex.fail(tsmpiError(ErrorCode.TRUNCATE, `${ex.what}: the buffers differ in size between ranks (from ${least} to ${most} bytes); pass buffers of the same length and kind on every rank`));
    }
    return ex.failed ? undefined : (data as TypedArray);
  };
  const red = send && bufferReduction(ex, op, send);

  if (f.newRank < 0) {
    ex.sendRaw(r + 1, header(send));
    const res = open(await ex.recvRaw(r + 1));
    if (res !== undefined) ex.attempt(() => copyInto(recv!, red!.unwrap(res)));
    return;
  }
  let acc = send;
  if (r < 2 * f.extra) {
    const lower = open(await ex.recvRaw(r - 1));
    const a = acc;
    acc = lower === undefined || a === undefined ? undefined : ex.attempt(() => red!.combine(red!.unwrap(lower), a));
  }

  let result: TypedArray | undefined;
  if (!large) {
    for (let m = 1; m < f.core; m *= 2) {
      const partner = f.newRank ^ m;
      const other = open(await ex.sendrecvRaw(f.toOld(partner), header(acc)));
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
  header: (payload: TypedArray | undefined) => unknown[],
  open: (msg: unknown) => TypedArray | undefined,
  agreed: () => boolean,
): Promise<TypedArray | undefined> {
  const u = op.unit;
  const span = (x: TypedArray, a: number, b: number) => x.subarray(a * u, b * u);
  // The first round reads `acc` and writes its sums into `work`; later rounds work in `work` alone
  // (no up-front copy of the whole buffer: the half given away is never needed again).
  let from = acc;
  // Recursive halving with growing distance (the partners of recursive doubling):
  // each round keeps half of the current item range and reduces the partner's copy of it into it.
  let a = 0, b = work.length / u;
  const steps: { m: number; lo: number; mid: number; hi: number; keptLow: boolean }[] = [];
  for (let m = 1; m < core; m *= 2) {
    const partner = me ^ m;
    const mid = a + Math.floor((b - a) / 2);
    const keptLow = (me & m) === 0;
    const [ka, kb, ga, gb] = keptLow ? [a, mid, mid, b] : [mid, b, a, mid];
    const got = open(await ex.sendrecvRaw(toOld(partner), header(from && span(from, ga, gb))));
    if (got !== undefined && from !== undefined) {
      const src = from;
      ex.attempt(() => {
        const mine = span(src, ka, kb), out = span(work, ka, kb);
        const theirs = received(got, work, mine.length, ex.what);
        if (partner < me) op.reduceInto(theirs, mine, out); else op.reduceInto(mine, theirs, out);
      });
    }
    from = ex.failed ? undefined : work;
    steps.push({ m, lo: a, mid, hi: b, keptLow });
    a = ka; b = kb;
  }
  // Sizes disagree somewhere: every rank knows it now and stops here.
  if (!agreed()) return undefined;
  // Recursive doubling in reverse order gathers the reduced ranges back.
  for (let s = steps.pop(); s; s = steps.pop()) {
    const [pa, pb] = s.keptLow ? [s.mid, s.hi] : [s.lo, s.mid];
    const got = await ex.sendrecv(toOld(me ^ s.m), span(work, a, b));
    if (got !== undefined) ex.attempt(() => copyInto(work, received(got, work, (pb - pa) * u, ex.what), pa * u));
    a = s.lo; b = s.hi;
  }
  return ex.failed ? undefined : work;
}
