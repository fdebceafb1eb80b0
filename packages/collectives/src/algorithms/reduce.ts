/**
 * Binomial-tree reduce to rank 0 of `ex`: in round k the ranks with bit k set
 * send their partial result to rank - 2^k, which combines it as
 * `op(own, received)`. Each rank stands for the contiguous range of ranks
 * below its subtree, so the result is in rank order and non-commutative ops
 * are exact. ⌈log2 p⌉ rounds.
 *
 * For a commutative op the caller roots the tree at the reduce root directly
 * (relative ranks). For a non-commutative one the tree stays rooted at rank
 * 0, whose result then goes to the root in one more message.
 */
import type { Exchange } from '../exchange.js';
import type { Reduction } from './reduction.js';

export async function binomialReduce<T>(ex: Exchange, mine: T | undefined, red: Reduction<T>): Promise<T | undefined> {
  const p = ex.size, v = ex.rank;
  let acc = mine;
  // Every child's receive is posted first (they are distinct ranks), so a large partial result that
  // comes early still lands in `red.into`.
  const children = new Map<number, Promise<unknown>>();
  for (let m = 1; m < p && !(v & m); m *= 2) if (v + m < p) children.set(m, ex.expect(v + m, red.into).got);
  for (let m = 1; m < p; m *= 2) {
    if (v & m) {
      ex.send(v - m, acc === undefined ? undefined : red.wrap(acc));
      return undefined;
    }
    if (v + m < p) {
      const got = await children.get(m);
      const a = acc;
      acc = got === undefined || a === undefined ? undefined : ex.attempt(() => red.combine(a, red.unwrap(got)));
    }
  }
  return acc;
}

/** Reduce in rank order to `root` of `ex`: commutative ops on a tree rooted at `root`, others at 0 plus one hop. */
export async function reduceToRoot<T>(ex: Exchange, root: number, mine: T | undefined, red: Reduction<T>, commute: boolean): Promise<T | undefined> {
  if (commute || root === 0) return binomialReduce(commute ? ex.rooted(root) : ex, mine, red);
  const acc = await binomialReduce(ex, mine, red);
  if (ex.rank === 0) {
    ex.send(root, acc === undefined ? undefined : red.wrap(acc));
    return undefined;
  }
  if (ex.rank !== root) return undefined;
  const got = await ex.recv(0);
  return got === undefined ? undefined : ex.attempt(() => red.unwrap(got));
}
