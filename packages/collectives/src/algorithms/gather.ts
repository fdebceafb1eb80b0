/**
 * Binomial-tree gather of per-rank blocks: each rank collects its subtree's
 * blocks (in rank order) and sends them to its parent in one message, so the
 * root receives ⌈log2 p⌉ messages. `ex` must be rooted (rank 0 is the root).
 */
import { type Exchange, type Into, protocolError } from '../exchange.js';

/**
 * The blocks of every rank in relative rank order at the root; undefined elsewhere and after a failure.
 * `into`, if given, receives large messages (scratch: only when the root copies the blocks out).
 */
export async function binomialGather(ex: Exchange, mine: unknown, into?: Into): Promise<unknown[] | undefined> {
  const p = ex.size, v = ex.rank;
  let list: unknown[] | undefined = [mine];
  // Every child's receive is posted first (they are distinct ranks), so a large message that comes
  // early still lands in `into`.
  const children = new Map<number, Promise<unknown>>();
  for (let m = 1; m < p && !(v & m); m *= 2) if (v + m < p) children.set(m, ex.expect(v + m, into).got);
  for (let m = 1; m < p; m *= 2) {
    if (v & m) {
      ex.send(v - m, list);
      return undefined;
    }
    if (v + m < p) {
      const want = Math.min(m, p - v - m);
      const got = await children.get(m);
      if (got !== undefined && !(Array.isArray(got) && got.length === want)) ex.fail(protocolError(ex, `expected ${want} gathered blocks`));
      if (ex.failed) list = undefined;
      else list!.push(...(got as unknown[]));
    }
  }
  // Only rank 0 gets here: every other rank has a set bit below p.
  return list;
}
