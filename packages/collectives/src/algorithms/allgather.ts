/**
 * Bruck's allgather: in round k rank r sends the blocks it holds,
 * r .. r+2^k-1 (mod p), to rank r - 2^k and receives r+2^k .. r+2^(k+1)-1
 * from rank r + 2^k. ⌈log2 p⌉ rounds for any p (no fold step for
 * non-powers of two) and each block crosses each link once, so it is
 * bandwidth-optimal too. With p a power of two it moves exactly the data of
 * recursive doubling.
 */
import { type Exchange, protocolError } from '../exchange.js';

/** Where the blocks live: `get(i)` is rank i's block once known, `put` stores a received one (and may throw to fail). */
export interface BlockStore {
  get(i: number): unknown;
  put(i: number, block: unknown): void;
}

export async function bruckAllgather(ex: Exchange, store: BlockStore): Promise<void> {
  const p = ex.size, r = ex.rank;
  for (let dist = 1; dist < p; dist *= 2) {
    const count = Math.min(dist, p - dist);
    const out = ex.failed ? undefined : Array.from({ length: count }, (_, j) => store.get((r + j) % p));
    const got = await ex.sendrecv((r - dist + p) % p, out, (r + dist) % p);
    if (got === undefined) continue;
    if (!Array.isArray(got) || got.length !== count) { ex.fail(protocolError(ex, `expected ${count} blocks`)); continue; }
    ex.attempt(() => got.forEach((b, j) => store.put((r + dist + j) % p, b)));
  }
}
