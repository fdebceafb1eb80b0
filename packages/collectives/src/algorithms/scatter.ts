/**
 * Binomial-tree scatter of per-rank blocks (values, or typed-array views sent
 * without copying). `ex` must be rooted (rank 0 is the root). Each rank
 * receives the blocks of its whole subtree from its parent in one message and
 * hands each child the blocks of the child's subtree: ⌈log2 p⌉ rounds.
 */
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
