/**
 * Bruck's allgather: in round k rank r sends the blocks it holds,
 * r .. r+2^k-1 (mod p), to rank r - 2^k and receives r+2^k .. r+2^(k+1)-1
 * from rank r + 2^k. ⌈log2 p⌉ rounds for any p (no fold step for
 * non-powers of two) and each block crosses each link once, so it is
 * bandwidth-optimal too. With p a power of two it moves exactly the data of
 * recursive doubling.
 */
import { type TypedArray, isTypedArray } from '@tsmpi/runtime';
import { inPlace, plain } from '../buffers.js';
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

/**
 * Recursive doubling, for a power-of-two number of ranks whose blocks are
 * ranges of one array: in the round of distance m, rank r holds the blocks of
 * its aligned group of m ranks, [r & -m, +m), one range, and swaps it with rank
 * r ^ m. The same bytes and rounds as Bruck's, but each round's blocks are one
 * range, so they travel as one bare typed array and are received straight
 * into their place (Bruck's rounds wrap around: their blocks go as an array
 * through the value codec and are copied out). Every round's receive is posted
 * before the first send; a range that came before, or is too small to be
 * claimed, or of another kind, lands elsewhere and goes to `take`. A Buffer's
 * ranges travel as plain Uint8Arrays (`plain`), so they too land in place.
 *
 * `range(first, count)`: the view of blocks first .. first+count-1 (undefined
 * once this rank has failed); `take(first, count, got)`: store a range that
 * came (a no-op when it landed in place), and may throw to fail.
 */
export async function doublingAllgather(
  ex: Exchange,
  range: (first: number, count: number) => TypedArray | undefined,
  take: (first: number, count: number, got: unknown) => void,
): Promise<void> {
  const p = ex.size, r = ex.rank;
  const rounds: { partner: number; first: number; got: Promise<unknown> }[] = [];
  for (let m = 1; m < p; m *= 2) {
    const partner = r ^ m, first = partner & -m;
    const place = range(first, m);
    rounds.push({ partner, first, got: ex.expect(partner, place && inPlace(plain(place))).got });
  }
  for (let k = 0, m = 1; m < p; k++, m *= 2) {
    const { partner, first, got } = rounds[k]!;
    const out = ex.failed ? undefined : range(r & -m, m);
    const b = await ex.afterSend(ex.send(partner, out && plain(out)), got);
    if (b !== undefined) ex.attempt(() => take(first, m, b));
  }
}
