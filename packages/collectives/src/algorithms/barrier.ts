/**
 * Dissemination barrier (Hensgen, Finkel and Manber): in round k every rank
 * signals rank + 2^k and waits for rank - 2^k, so after ⌈log2 p⌉ rounds every
 * rank has heard, directly or not, from every other. Works for any p.
 *
 * A signal is an empty message (Exchange.signal): a bare frame that goes from
 * the engine to the socket and back without the value path on either side.
 */
import type { Exchange } from '../exchange.js';

export async function disseminationBarrier(ex: Exchange): Promise<void> {
  const p = ex.size, r = ex.rank;
  for (let dist = 1; dist < p; dist *= 2) {
    ex.signalled(await ex.signal((r + dist) % p, (r - dist + p) % p));
  }
}
