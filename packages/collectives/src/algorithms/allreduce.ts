/**
 * Recursive-doubling allreduce (the small-message algorithm). Non-power-of-two
 * groups fold first: each even rank below 2·extra hands its value to the next
 * rank and gets the result back at the end (two extra rounds). In round k
 * core rank v exchanges its partial result with v XOR 2^k and combines as
 * `op(lower half, higher half)`: both partners compute the same expression,
 * in rank order, so every rank ends with an identical result and
 * non-commutative ops are exact. ⌈log2 p⌉ (+2) rounds.
 */
import type { Exchange } from '../exchange.js';
import { fold } from './ranks.js';
import type { Reduction } from './reduction.js';

export async function recursiveDoublingAllreduce<T>(ex: Exchange, mine: T | undefined, red: Reduction<T>): Promise<T | undefined> {
  const p = ex.size, r = ex.rank;
  const f = fold(r, p);
  const wrap = (x: T | undefined) => (x === undefined ? undefined : red.wrap(x));
  const unwrap = (m: unknown) => (m === undefined ? undefined : ex.attempt(() => red.unwrap(m)));
  let acc = mine;
  if (f.newRank < 0) {
    ex.send(r + 1, wrap(acc));
    return unwrap(await ex.recv(r + 1));
  }
  if (r < 2 * f.extra) {
    const lower = unwrap(await ex.recv(r - 1));
    const a = acc;
    acc = lower === undefined || a === undefined ? undefined : ex.attempt(() => red.combine(lower, a));
  }
  for (let m = 1; m < f.core; m *= 2) {
    const partner = f.newRank ^ m;
    const other = unwrap(await ex.sendrecv(f.toOld(partner), wrap(acc)));
    const a = acc;
    if (other === undefined || a === undefined) { acc = undefined; continue; }
    acc = ex.attempt(() => (partner < f.newRank ? red.combine(other, a) : red.combine(a, other)));
  }
  if (r < 2 * f.extra) ex.send(r - 1, wrap(acc));
  return acc;
}
