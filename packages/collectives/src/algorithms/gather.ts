/**
 * Binomial-tree gather of per-rank blocks: each rank collects its subtree's
 * blocks (in rank order) and sends them to its parent in one message, so the
 * root receives ⌈log2 p⌉ messages. `ex` must be rooted (rank 0 is the root).
 */
import { type TypedArray, alloc, copyInto, inPlace, plain, received, viewIn } from '../buffers.js';
import { type Exchange, type Into, isFailureNote, protocolError } from '../exchange.js';
import { lowBit } from './ranks.js';

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

/**
 * Binomial-tree gather of equal typed-array blocks (the Uppercase Gather). A
 * rank's subtree is a run of consecutive relative ranks, so what it sends its
 * parent is one range of blocks, one bare typed array, which the parent
 * receives straight into its place: at the root, its range of the receive
 * buffer (`place`: undefined where the range wraps around the buffer's end),
 * elsewhere a scratch array holding the rank's own block followed by its
 * subtree's. (`binomialGather` sends lists of blocks through the value codec,
 * which the root copied out of scratch: on 4 ranks, 3 blocks per call.)
 * Every child's receive is posted first, so a range that comes early still
 * lands in place; one that lands elsewhere (too small to be claimed, or of
 * another kind or length) is checked and copied, at the root by `put`.
 * `mine` (this rank's block, `n` elements) is undefined once this rank failed.
 */
export async function rangeGather(
  ex: Exchange, mine: TypedArray | undefined, n: number,
  place: (first: number, count: number) => TypedArray | undefined,
  put: (first: number, count: number, got: unknown) => void,
): Promise<void> {
  const p = ex.size, v = ex.rank;
  // The blocks this rank's subtree holds, its own first (the root's: all of them).
  const span = v === 0 ? p : Math.min(lowBit(v), p - v);
  let work: TypedArray | undefined;
  if (v !== 0 && span > 1 && mine !== undefined && !ex.failed) {
    const m = mine;
    work = ex.attempt(() => {
      const room = ex.scratch(span * m.byteLength);
      const w = room ? viewIn(m, room, 0, span * n) : alloc(m, span * n);
      w.set(m as never, 0);
      return w;
    });
  }
  const local = (first: number, count: number) => (v === 0 ? place(first, count) : work?.subarray((first - v) * n, (first - v + count) * n));
  const children: { first: number; count: number; got: Promise<unknown> }[] = [];
  for (let m = 1; m < span; m *= 2) {
    const first = v + m, count = Math.min(m, p - first);
    const at = local(first, count);
    // Elsewhere (a range that wraps around the root's buffer, a failed rank): a scratch buffer.
    const into = at !== undefined ? inPlace(plain(at), ex.intoScratch) : ex.intoScratch;
    // Inner ranks take notes raw: a failure below them is the root's, not theirs (passOn).
    children.push({ first, count, got: (v === 0 ? ex.expect(first, into) : ex.expectRaw(first, into)).got });
  }
  for (const c of children) {
    const b = await c.got;
    if (v === 0) {
      if (b !== undefined && !ex.failed) ex.attempt(() => put(c.first, c.count, b));
      continue;
    }
    if (b === undefined || ex.failed) continue;
    if (isFailureNote(b)) { ex.passOn(b); continue; }
    // A range of the wrong kind or length is the root's failure, not this rank's: pass a note on.
    try {
      copyInto(work!, received(b, work!, c.count * n, ex.what), (c.first - v) * n);
    } catch (err) {
      ex.passOn(err);
    }
  }
  const out = work ?? mine;
  if (v !== 0) ex.send(v - lowBit(v), ex.failed || out === undefined ? undefined : plain(out));
}
