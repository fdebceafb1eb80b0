/** mpi4py's message set for collectives, and small reference computations. */

const scalars: unknown[] = [null, true, false, -7, 0, 7, 2n ** 63n - 1n, -(2n ** 63n - 1n), -2.17, 0.0, 1.62, 'abc', 'hello, wörld ✓', 2 ** 31];

/** Every message of mpi4py's set: the scalars, an array and an object of all of them, a nested array. */
export const MESSAGES: unknown[] = [
  ...scalars,
  [...scalars],
  Object.fromEntries(scalars.map((v, i) => [`k${i}`, v])),
  [scalars, [scalars, [...scalars].reverse()], {}],
  [],
  '',
];

/** A 2x2 matrix product modulo 1009 (associative, not commutative), on [a, b, c, d] row-major. */
export function matmul(x: readonly number[], y: readonly number[]): number[] {
  const [a, b, c, d] = x as [number, number, number, number];
  const [e, f, g, h] = y as [number, number, number, number];
  return [(a * e + b * g) % 1009, (a * f + b * h) % 1009, (c * e + d * g) % 1009, (c * f + d * h) % 1009];
}

/** Rank r's matrix for the non-commutative tests. */
export const matrixOf = (r: number): number[] => [r + 2, 1, r % 3, 1];

/** Left fold of `f` over ranks lo..hi-1 (rank order). */
export function foldRanks<T>(lo: number, hi: number, of: (r: number) => T, f: (a: T, b: T) => T): T {
  let acc = of(lo);
  for (let r = lo + 1; r < hi; r++) acc = f(acc, of(r));
  return acc;
}
