/** Rank arithmetic shared by the algorithms: powers of two and the fold of non-power-of-two groups. */

/** Largest power of two ≤ n (n ≥ 1). */
export function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** Smallest power of two ≥ n. */
export function ceilPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Lowest set bit of v > 0 (the distance to its parent in a binomial tree). */
export const lowBit = (v: number): number => v & -v;

/**
 * Power-of-two core of a group of `size` ranks. With `extra = size - core`,
 * each even rank below `2 * extra` folds its data into the next (odd) rank
 * and waits; the `core` remaining ranks are renumbered 0..core-1 keeping rank
 * order, so each new rank stands for a contiguous range of old ranks.
 */
export interface Fold {
  core: number;
  extra: number;
  /** This rank's number in the core, or -1 if it folds out. */
  newRank: number;
  /** Old rank of core rank `v`. */
  toOld(v: number): number;
  /** First old rank that core rank `v` stands for (v may be `core`: then `size`). */
  firstOld(v: number): number;
}

export function fold(rank: number, size: number): Fold {
  const core = floorPow2(size);
  const extra = size - core;
  const newRank = rank < 2 * extra ? (rank % 2 === 1 ? rank >> 1 : -1) : rank - extra;
  return {
    core,
    extra,
    newRank,
    toOld: (v) => (v < extra ? 2 * v + 1 : v + extra),
    firstOld: (v) => (v < extra ? 2 * v : v + extra),
  };
}
