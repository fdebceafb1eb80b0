/**
 * Binomial-tree gather of per-rank blocks: each rank collects its subtree's
 * blocks (in rank order) and sends them to its parent in one message, so the
 * root receives ⌈log2 p⌉ messages. `ex` must be rooted (rank 0 is the root).
 */
import { type Exchange, protocolError } from '../exchange.js';

/** The blocks of every rank in relative rank order at the root; undefined elsewhere and after a failure. */
export async function binomialGather(ex: Exchange, mine: unknown): Promise<unknown[] | undefined> {
  const p = ex.size, v = ex.rank;
  let list: unknown[] | undefined = [mine];
  for (let m = 1; m < p; m *= 2) {
    if (v & m) {
      ex.send(v - m, list);
      return undefined;
    }
    if (v + m < p) {
      const want = Math.min(m, p - v - m);
      const got = await ex.recv(v + m);
      if (got !== undefined && !(Array.isArray(got) && got.length === want)) ex.fail(protocolError(ex, `expected ${want} gathered blocks`));
      if (ex.failed) list = undefined;
      else list!.push(...(got as unknown[]));
    }
  }
  // Only rank 0 gets here: every other rank has a set bit below p.
  return list;
}
