/**
 * Bruck's allgather: in round k rank r sends the blocks it holds,
 * r .. r+2^k-1 (mod p), to rank r - 2^k and receives r+2^k .. r+2^(k+1)-1
 * from rank r + 2^k. ⌈log2 p⌉ rounds for any p (no fold step for
 * non-powers of two) and each block crosses each link once, so it is
 * bandwidth-optimal too. With p a power of two it moves exactly the data of
 * recursive doubling.
 */
import { isTypedArray } from '@tsmpi/runtime';
import { type Exchange, type Into, protocolError } from '../exchange.js';

/** Where the blocks live: `get(i)` is rank i's block once known, `put` stores a received one (and may throw to fail). */
export interface BlockStore {
  get(i: number): unknown;
  put(i: number, block: unknown): void;
}

/**
 * `into`, if given, receives large messages (e.g. into scratch buffers: only
 * when `put` copies the blocks out). `typedBlocks`: every block is a typed array
 * (the Uppercase Allgather), so a lone block can travel bare. Every round's receive is posted before
 * the first send (each round hears from another rank), so early messages
 * still land there.
 */
export async function bruckAllgather(ex: Exchange, store: BlockStore, into?: Into, typedBlocks = false): Promise<void> {
  const p = ex.size, r = ex.rank;
  const rounds: Promise<unknown>[] = [];
  for (let dist = 1; dist < p; dist *= 2) rounds.push(ex.expect((r + dist) % p, into).got);
  for (let dist = 1, k = 0; dist < p; dist *= 2, k++) {
    const count = Math.min(dist, p - dist);
    // With `typedBlocks` (every block a typed array), a round of one block (the first; every round
    // on 2 ranks) sends the block itself, a bare binary frame, instead of [block] through the value codec.
    const bare = typedBlocks && count === 1;
    const out = ex.failed ? undefined : bare ? store.get(r) : Array.from({ length: count }, (_, j) => store.get((r + j) % p));
    let got = await ex.afterSend(ex.send((r - dist + p) % p, out), rounds[k]!);
    if (got === undefined) continue;
    if (bare && isTypedArray(got)) got = [got];
    if (!Array.isArray(got) || got.length !== count) { ex.fail(protocolError(ex, `expected ${count} blocks`)); continue; }
    ex.attempt(() => got.forEach((b, j) => store.put((r + dist + j) % p, b)));
  }
}
