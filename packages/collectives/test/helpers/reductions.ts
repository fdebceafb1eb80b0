/** Reductions of each rank's value with every op, and what they must give. */
import { BAND, BOR, BXOR, LAND, LOR, LXOR, MAX, MAXLOC, MIN, MINLOC, NO_OP, type OpLike, PROD, REPLACE, SUM } from '@tsmpi/collectives';
import { foldRanks, matmul, matrixOf } from './messages.ts';

export interface ReductionCase {
  name: string;
  op: OpLike;
  value(rank: number): unknown;
  /** Left fold over ranks lo..hi-1. */
  expect(lo: number, hi: number): unknown;
}

const concat = function concat(a: string, b: string) { return `${a}|${b}`; };
const mat = function matrixProduct(a: number[], b: number[]) { return matmul(a, b); };

function plain(name: string, op: OpLike, value: (r: number) => unknown, f: (a: any, b: any) => unknown): ReductionCase {
  return { name, op, value, expect: (lo, hi) => foldRanks(lo, hi, value, f) };
}

/** mpi4py's cases (reduce of rank with every op) plus mixed types and non-commutative ops. */
export const CASES: ReductionCase[] = [
  plain('SUM of rank', SUM, (r) => r, (a, b) => a + b),
  plain('PROD of rank', PROD, (r) => r, (a, b) => a * b),
  plain('PROD of rank+1', PROD, (r) => r + 1, (a, b) => a * b),
  plain('MAX of rank', MAX, (r) => r, (a, b) => Math.max(a, b)),
  plain('MIN of rank', MIN, (r) => r, (a, b) => Math.min(a, b)),
  plain('LAND of rank', LAND, (r) => r, (a, b) => Boolean(a) && Boolean(b)),
  plain('LAND of true', LAND, () => true, (a, b) => a && b),
  plain('LOR of rank', LOR, (r) => r, (a, b) => Boolean(a) || Boolean(b)),
  plain('LXOR of odd', LXOR, (r) => r % 2 === 1, (a, b) => a !== b),
  plain('BAND of rank|12', BAND, (r) => r | 12, (a, b) => a & b),
  plain('BOR of rank', BOR, (r) => r, (a, b) => a | b),
  plain('BXOR of rank', BXOR, (r) => r, (a, b) => a ^ b),
  plain('BXOR of bigint', BXOR, (r) => BigInt(r) << 40n, (a, b) => a ^ b),
  plain('MAXLOC of [rank, rank]', MAXLOC, (r) => [r, r], (a, b) => (b[0] > a[0] ? b : a)),
  plain('MINLOC of [rank, rank]', MINLOC, (r) => [r, r], (a, b) => (b[0] < a[0] ? b : a)),
  { name: 'MAXLOC tie', op: MAXLOC, value: (r) => [5, r + 10], expect: (lo) => [5, lo + 10] },
  { name: 'MINLOC tie', op: MINLOC, value: (r) => [-1.5, 100 - r], expect: (_lo, hi) => [-1.5, 100 - (hi - 1)] },
  plain('REPLACE', REPLACE, (r) => r, (_a, b) => b),
  plain('NO_OP', NO_OP, (r) => r, (a) => a),
  plain('SUM of bigint', SUM, (r) => (2n ** 62n) * BigInt(r), (a, b) => a + b),
  plain('SUM of strings', SUM, (r) => String(r), (a, b) => a + b),
  plain('SUM of arrays (concatenation)', SUM, (r) => [r, `r${r}`], (a, b) => [...a, ...b]),
  plain('MAX element-wise', MAX, (r) => [r, 10 - r, r % 2], (a, b) => a.map((x: number, i: number) => Math.max(x, b[i]))),
  plain('SUM of Float64Array', SUM, (r) => Float64Array.of(r, 0.5, -r), (a, b) => a.map((x: number, i: number) => x + b[i])),
  plain('function op: concatenation', concat, (r) => `x${r}`, concat),
  plain('function op: 2x2 matrix product', mat, matrixOf, mat),
];
