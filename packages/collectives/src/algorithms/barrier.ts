/**
 * Dissemination barrier (Hensgen, Finkel and Manber): in round k every rank
 * signals rank + 2^k and waits for rank - 2^k, so after ⌈log2 p⌉ rounds every
 * rank has heard, directly or not, from every other. Works for any p.
 *
 * A signal is an empty byte array: it travels as a bare frame, without the
 * value codec on either side.
 */
import type { Exchange } from '../exchange.js';

const SIGNAL = new Uint8Array(0);

export async function disseminationBarrier(ex: Exchange): Promise<void> {
  const p = ex.size, r = ex.rank;
  for (let dist = 1; dist < p; dist *= 2) {
    await ex.sendrecv((r + dist) % p, SIGNAL, (r - dist + p) % p);
  }
}
