/**
 * Binomial-tree scatter of per-rank blocks (values, or typed-array views sent
 * without copying). `ex` must be rooted (rank 0 is the root). Each rank
 * receives the blocks of its whole subtree from its parent in one message and
 * hands each child the blocks of the child's subtree: ⌈log2 p⌉ rounds.
 */
import { isTypedArray } from '@tsmpi/runtime';
import { type TypedArray, inPlace, plain } from '../buffers.js';
import { type Exchange, type Into, protocolError } from '../exchange.js';
import { ceilPow2, lowBit } from './ranks.js';

/**
 * At the root `blocks` are in relative rank order; every rank gets its own block (undefined after a failure).
 * `into`, if given, receives large messages (scratch: only when the caller copies its block out).
 */
export async function binomialScatter(ex: Exchange, blocks: readonly unknown[] | undefined, into?: Into): Promise<unknown> {
  const p = ex.size, v = ex.rank;
  let list: readonly unknown[] | undefined = blocks;
  let mask: number;
  if (v === 0) {
    mask = ceilPow2(p);
  } else {
    mask = lowBit(v);
    const want = Math.min(mask, p - v);
    const got = await ex.recv(v - mask, into);
    if (got !== undefined && !(Array.isArray(got) && got.length === want)) ex.fail(protocolError(ex, `expected ${want} scattered blocks`));
    list = ex.failed ? undefined : (got as unknown[]);
  }
  for (let m = mask / 2; m >= 1; m /= 2) {
    if (v + m < p) ex.send(v + m, list?.slice(m, m + Math.min(m, p - v - m)));
  }
  return list?.[0];
}

/**
 * Binomial-tree scatter of equal typed-array blocks (the Uppercase Scatter).
 * A subtree's blocks are a run of consecutive relative ranks, so each rank
 * receives its subtree's as one range, one bare typed array, and hands each
 * child a view of the child's part, without copying. A leaf receives its block
 * straight into `own` (its receive buffer) when kind and size match; an inner
 * rank receives into scratch. (`binomialScatter` sends lists of blocks through
 * the value codec into scratch, and every rank copied its block out.) The
 * block length comes from the range received, so a rank whose own buffer is
 * wrong still forwards intact data. At the root, `range(first, count)` gives
 * the blocks of relative ranks first.. as one array (undefined once failed).
 * Returns this rank's block (`own` itself when it landed there); undefined at
 * the root and after a failure.
 */
export async function rangeScatter(
  ex: Exchange, range: ((first: number, count: number) => TypedArray | undefined) | undefined, own: TypedArray | undefined,
): Promise<TypedArray | undefined> {
  const p = ex.size, v = ex.rank;
  let mask: number;
  let mine: TypedArray | undefined;
  let n = 0;
  if (v === 0) {
    mask = ceilPow2(p);
  } else {
    mask = lowBit(v);
    const count = Math.min(mask, p - v);
    const into = count === 1 && own !== undefined ? inPlace(plain(own), ex.intoScratch) : ex.intoScratch;
    const got = await ex.recv(v - mask, into);
    if (got !== undefined && !(isTypedArray(got) && got.length % count === 0)) ex.fail(protocolError(ex, `expected ${count} scattered blocks`));
    mine = ex.failed ? undefined : (got as TypedArray);
    n = mine ? mine.length / count : 0;
  }
  for (let m = mask / 2; m >= 1; m /= 2) {
    if (v + m >= p) continue;
    const count = Math.min(m, p - v - m);
    const part = ex.failed ? undefined : v === 0 ? range?.(m, count) : mine!.subarray(m * n, (m + count) * n);
    ex.send(v + m, part && plain(part));
  }
  return v === 0 ? undefined : mine?.subarray(0, n);
}
