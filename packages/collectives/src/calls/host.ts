/** What the collective calls need from a communicator, and the checks every rank makes alike. */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import type { Exchange } from '../exchange.js';

export interface Host {
  readonly rank: number;
  readonly size: number;
  /** Start a collective call: takes the next sequence number (tag). */
  collective(what: string): Exchange;
}

/** TSMPI_ERR_ROOT unless `root` is a rank of the communicator (the same on every rank, so all reject alike). */
export function checkRoot(root: unknown, size: number, what: string): number {
  if (typeof root !== 'number' || !Number.isInteger(root) || root < 0 || root >= size) {
    throw tsmpiError(ErrorCode.ROOT, `${what}: root ${String(root)} is not a rank of this communicator; pass a root in 0..${size - 1}`);
  }
  return root;
}

/** Rank i's entry of a list in relative order (rank `root` first). */
export function relativeOrder<T>(list: readonly T[], root: number): T[] {
  const p = list.length;
  return Array.from({ length: p }, (_, i) => list[(root + i) % p]!);
}

/** A list in relative order (root first) back in rank order. */
export function rankOrder<T>(list: readonly T[], root: number): T[] {
  const p = list.length;
  return Array.from({ length: p }, (_, i) => list[(i - root + p) % p]!);
}
