/**
 * MPI_Dims_create (mpi4py's `Compute_dims`): a grid of `nnodes` cells in
 * `ndims` dimensions whose sides are as close to each other as possible, in
 * non-increasing order.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';

/**
 * `dims` is the number of dimensions, or an array where non-zero entries are
 * fixed and zeros are chosen (as in MPI). Among all factorizations the one
 * with the smallest spread (largest minus smallest side) wins, then the one
 * with the smaller largest side.
 */
export function computeDims(nnodes: number, dims: number | readonly number[]): number[] {
  if (!Number.isInteger(nnodes) || nnodes < 1) throw tsmpiError(ErrorCode.ARG, `computeDims: nnodes must be a positive integer, got ${String(nnodes)}`);
  const given = typeof dims === 'number' ? new Array<number>(checkCount(dims)).fill(0) : [...dims];
  if (!given.every((d) => Number.isInteger(d) && d >= 0)) throw tsmpiError(ErrorCode.ARG, 'computeDims: dims entries must be non-negative integers (0 = choose)');
  const fixed = given.filter((d) => d > 0).reduce((a, b) => a * b, 1);
  const free = given.filter((d) => d === 0).length;
  if (nnodes % fixed !== 0 || (free === 0 && fixed !== nnodes)) {
    throw tsmpiError(ErrorCode.ARG, `computeDims: the fixed dims (product ${fixed}) do not divide ${nnodes} nodes exactly; change the fixed entries or the node count`);
  }
  const sides = balanced(nnodes / fixed, free);
  let next = 0;
  return given.map((d) => (d > 0 ? d : sides[next++]!));
}

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw tsmpiError(ErrorCode.ARG, `computeDims: ndims must be a non-negative integer, got ${String(n)}`);
  return n;
}

/** The most balanced way to write m as k non-increasing factors. */
function balanced(m: number, k: number): number[] {
  if (k === 0) return [];
  let best: number[] | undefined;
  const better = (a: number[], b: number[]) => {
    const sa = a[0]! - a[a.length - 1]!, sb = b[0]! - b[b.length - 1]!;
    return sa !== sb ? sa < sb : a[0]! < b[0]!;
  };
  const divisors: number[] = [];
  for (let d = 1; d * d <= m; d++) if (m % d === 0) { divisors.push(d); if (d * d !== m) divisors.push(m / d); }
  divisors.sort((a, b) => b - a);
  const walk = (rest: number, left: number, max: number, acc: number[]) => {
    if (left === 1) {
      if (rest <= max) {
        const cand = [...acc, rest];
        if (!best || better(cand, best)) best = cand;
      }
      return;
    }
    // The next factor is at most `max` and at least the left-th root of `rest`.
    for (const f of divisors) {
      if (f > max || rest % f !== 0) continue;
      if (f ** left < rest) break;
      walk(rest / f, left - 1, f, [...acc, f]);
    }
  };
  walk(m, k, m, []);
  return best!;
}
