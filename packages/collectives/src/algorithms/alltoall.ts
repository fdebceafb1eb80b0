/**
 * Pairwise exchange: in step i rank r sends its block for rank r+i and
 * receives the block of rank r-i, so every pair exchanges directly and each
 * block crosses the network once (bandwidth-optimal). All p-1 steps are
 * posted at once, in pairwise order, so the exchange takes one round of
 * latency; each rank still sends and receives p-1 messages, which all-to-all
 * needs anyway.
 */
import type { Exchange, Into } from '../exchange.js';

/** `into(src)`, if given, names where rank src's block may be received in place. */
export async function pairwiseAlltoall(
  ex: Exchange,
  outgoing: (dest: number) => unknown,
  incoming: (src: number, block: unknown) => void,
  into?: (src: number) => Into | undefined,
): Promise<void> {
  const p = ex.size, r = ex.rank;
  // Receives first, so a large block that arrives early still lands in place.
  const arrivals: Promise<void>[] = [];
  for (let i = 1; i < p; i++) {
    const src = (r - i + p) % p;
    arrivals.push(ex.recv(src, into?.(src)).then((b) => {
      // A block of the wrong size only spoils this rank's result: nothing is forwarded.
      if (b !== undefined) ex.attemptLocal(() => incoming(src, b));
    }));
  }
  for (let i = 1; i < p; i++) {
    const dest = (r + i) % p;
    ex.send(dest, ex.failed ? undefined : outgoing(dest));
  }
  await Promise.all(arrivals);
}
