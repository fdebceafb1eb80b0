/**
 * Direct exchanges with the root, for Gatherv and Scatterv: their counts are
 * known only at the root, so no rank could forward another's block. One
 * round; the root sends or receives p-1 messages, all in flight at once.
 */
import type { Exchange } from '../exchange.js';

/** Every rank sends `mine` to `root`; the root `accept`s each block (a throw spoils only the root's result). */
export async function linearGather(ex: Exchange, root: number, mine: unknown, accept: (src: number, block: unknown) => void): Promise<void> {
  if (ex.rank !== root) {
    ex.send(root, mine);
    return;
  }
  const arrivals: Promise<void>[] = [];
  for (let i = 0; i < ex.size; i++) {
    if (i === root) continue;
    arrivals.push(ex.recv(i).then((b) => { if (b !== undefined) ex.attemptLocal(() => accept(i, b)); }));
  }
  await Promise.all(arrivals);
}

/** The root sends `blockFor(i)` to every rank i; the others resolve with their block (undefined after a failure). */
export async function linearScatter(ex: Exchange, root: number, blockFor: (dest: number) => unknown): Promise<unknown> {
  if (ex.rank !== root) return ex.recv(root);
  for (let i = 0; i < ex.size; i++) if (i !== root) ex.send(i, ex.failed ? undefined : blockFor(i));
  return undefined;
}
