/**
 * Context ids of new communicators. Ids come in pairs: the even one carries a
 * communicator's point-to-point messages, the odd one its collectives. Every
 * member of the parent learns the largest `engine.nextContext` of all members
 * (a collective on the parent), so the new id is free on every one of them,
 * and then moves its own counter past every id handed out.
 */
import { type Engine, ErrorCode, UNDEFINED, tsmpiError } from '@tsmpi/runtime';
import { MAX } from './ops/builtin.js';
import type { Op } from './ops/op.js';

/** The parent communicator's side of the agreement. */
export interface Parent {
  readonly engine: Engine;
  readonly group: readonly number[];
  readonly rank: number;
  allgather<T>(value: T): Promise<T[]>;
  allreduce<T>(value: T, op: Op): Promise<T>;
}

/** Where a new communicator lives: its even context id and its members' world ranks, in rank order. */
export interface Placement { context: number; group: number[] }

/**
 * Split `parent` by color; members of one color are ordered by (key, parent
 * rank). Every color gets its own pair of ids: base + 2·(index of the color
 * among the sorted distinct colors). Resolves with null for UNDEFINED.
 * The call starts a collective on `parent` synchronously.
 */
export async function splitPlacement(parent: Parent, color: number, key: number): Promise<Placement | null> {
  const entries = await parent.allgather<[number, number, number]>([color, key, parent.engine.nextContext]);
  entries.forEach(([c, k], rank) => {
    if (c !== UNDEFINED && !(Number.isInteger(c) && c >= 0)) {
      throw tsmpiError(ErrorCode.ARG, `split: rank ${rank} passed color ${String(c)}; colors are non-negative integers (or UNDEFINED to get null)`);
    }
    if (!Number.isInteger(k)) throw tsmpiError(ErrorCode.ARG, `split: rank ${rank} passed key ${String(k)}; keys are integers`);
  });
  const base = entries.reduce((m, e) => Math.max(m, e[2]), 0);
  const colors = [...new Set(entries.map((e) => e[0]).filter((c) => c !== UNDEFINED))].sort((a, b) => a - b);
  parent.engine.nextContext = Math.max(parent.engine.nextContext, base + 2 * colors.length);
  if (color === UNDEFINED) return null;
  const members = entries
    .map(([c, k], rank) => ({ c, k, rank }))
    .filter((e) => e.c === color)
    .sort((a, b) => a.k - b.k || a.rank - b.rank);
  return { context: base + 2 * colors.indexOf(color), group: members.map((m) => parent.group[m.rank]!) };
}

/** A copy of `parent`'s group on a fresh pair of ids (one allreduce MAX, O(log p) rounds). */
export async function dupPlacement(parent: Parent): Promise<Placement> {
  const base = await parent.allreduce(parent.engine.nextContext, MAX);
  parent.engine.nextContext = Math.max(parent.engine.nextContext, base + 2);
  return { context: base, group: [...parent.group] };
}
