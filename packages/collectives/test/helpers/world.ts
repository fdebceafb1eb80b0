/**
 * Runs one body per rank, concurrently, over an in-process world, and fails
 * (instead of hanging) if the ranks do not all finish in time.
 */
import { createInProcessWorld } from '@tsmpi/runtime';
import { Communicator } from '@tsmpi/collectives';

export const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17];

export async function runWorld<T>(n: number, body: (comm: Communicator) => Promise<T>, timeoutMs = 20_000): Promise<T[]> {
  const { comms } = createInProcessWorld(n, Communicator);
  return withTimeout(Promise.all(comms.map(body)), timeoutMs, `${n} ranks did not finish`);
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms (a hang)`)), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error code a promise rejects with, or 'resolved'. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return String((err as { code?: unknown }).code ?? (err as Error).message);
  }
}

export type CommKind = 'world' | 'dup' | 'split';
export const KINDS: CommKind[] = ['world', 'dup', 'split'];

/**
 * The communicator a suite runs on: the world, a duplicate of it, or a split
 * of it in two halves, each in reverse rank order (so rank 0 of the world is
 * not rank 0 of its half). Both halves run the suite at the same time.
 */
export async function commOf(world: Communicator, kind: CommKind): Promise<Communicator> {
  if (kind === 'world') return world;
  if (kind === 'dup') return world.dup();
  const c = await world.split(world.rank >= Math.floor(world.size / 2) ? 1 : 2, -world.rank);
  return c!;
}
