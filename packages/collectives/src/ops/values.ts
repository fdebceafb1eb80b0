/**
 * What the built-in ops do to values (the lowercase family), following
 * mpi4py: SUM adds numbers and bigints and concatenates strings and arrays
 * (Python's `x + y`); the other arithmetic, logical and bitwise ops work on
 * scalars and element-wise on arrays and typed arrays (which SUM also adds
 * element-wise); MAXLOC/MINLOC take [value, index] pairs.
 */
import { ErrorCode, describe, isTypedArray, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, alloc, kindOf } from '../buffers.js';
import type { Kernel } from './kernels.js';

export type Scalar = (a: unknown, b: unknown) => unknown;

function opError(name: string, a: unknown, b: unknown, hint: string) {
  return tsmpiError(ErrorCode.OP, `${name} cannot combine ${describe(a)} and ${describe(b)}; ${hint}`);
}

const numeric = (x: unknown): x is number | bigint => typeof x === 'number' || typeof x === 'bigint';

/**
 * Apply `scalar` element-wise when both values are arrays (or both typed
 * arrays, through `kernel`); `undefined` when neither is an array.
 */
function elementwise(name: string, a: unknown, b: unknown, scalar: Scalar, kernel: Kernel): unknown {
  if (isTypedArray(a) && isTypedArray(b)) {
    const x = a as TypedArray, y = b as TypedArray;
    if (kindOf(x) !== kindOf(y) || x.length !== y.length) {
      throw opError(name, a, b, `element-wise ops need typed arrays of one kind and length (got ${kindOf(x)}(${x.length}) and ${kindOf(y)}(${y.length}))`);
    }
    const out = alloc(x, x.length);
    kernel(x, y, out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw opError(name, a, b, `element-wise ops need arrays of the same length (got ${a.length} and ${b.length})`);
    return a.map((x, i) => scalar(x, b[i]));
  }
  if (Array.isArray(a) || Array.isArray(b) || isTypedArray(a) || isTypedArray(b)) {
    throw opError(name, a, b, 'pass arrays on every rank or scalars on every rank');
  }
  return undefined;
}

function sameNumeric(name: string, a: unknown, b: unknown): [number, number] | [bigint, bigint] {
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'bigint' && typeof b === 'bigint') return [a, b];
  if (numeric(a) && numeric(b)) throw opError(name, a, b, 'convert one side with BigInt() or Number() so both have the same type');
  throw opError(name, a, b, 'pass numbers or bigints (or a function op for other values)');
}

export function sumValues(kernel: Kernel): Scalar {
  const sum: Scalar = (a, b) => {
    // Two numbers, the usual case (allreduce of one number), before any other test.
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
    if (isTypedArray(a) || isTypedArray(b)) return elementwise('SUM', a, b, sum, kernel);
    const [x, y] = sameNumeric('SUM', a, b);
    return (x as number) + (y as number);
  };
  return sum;
}

export function prodValues(kernel: Kernel): Scalar {
  const prod: Scalar = (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    const e = elementwise('PROD', a, b, prod, kernel);
    if (e !== undefined) return e;
    const [x, y] = sameNumeric('PROD', a, b);
    return (x as number) * (y as number);
  };
  return prod;
}

const comparable = (x: unknown) => numeric(x) || typeof x === 'string' || typeof x === 'boolean';

export function extremeValues(name: 'MAX' | 'MIN', kernel: Kernel): Scalar {
  const max = name === 'MAX';
  /** b if it beats a (numbers, bigints or strings alike), else a. */
  const better = (a: unknown, b: unknown) => {
    const x = a as number, y = b as number;
    return (max ? y > x : y < x) ? b : a;
  };
  const pick: Scalar = (a, b) => {
    // Two numbers, the usual case (allreduce of one number), before any other test.
    if (typeof a === 'number' && typeof b === 'number') return better(a, b);
    const e = elementwise(name, a, b, pick, kernel);
    if (e !== undefined) return e;
    if (!comparable(a) || !comparable(b)) throw opError(name, a, b, 'pass numbers, bigints or strings (or a function op for other values)');
    return better(a, b);
  };
  return pick;
}

export function logicalValues(name: string, f: (x: boolean, y: boolean) => boolean, kernel: Kernel): Scalar {
  const logical: Scalar = (a, b) => {
    const e = elementwise(name, a, b, logical, kernel);
    if (e !== undefined) return e;
    return f(Boolean(a), Boolean(b));
  };
  return logical;
}

export function bitwiseValues(name: string, f: (x: bigint, y: bigint) => bigint, kernel: Kernel): Scalar {
  const bitwise: Scalar = (a, b) => {
    const e = elementwise(name, a, b, bitwise, kernel);
    if (e !== undefined) return e;
    if (typeof a === 'boolean' && typeof b === 'boolean') return f(BigInt(a), BigInt(b)) !== 0n;
    const [x, y] = sameNumeric(name, a, b);
    if (typeof x === 'bigint') return f(x, y as bigint);
    if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) throw opError(name, a, b, 'bitwise ops need integers (safe integers or bigints)');
    return Number(f(BigInt(x), BigInt(y)));
  };
  return bitwise;
}

const isPair = (x: unknown): x is [unknown, unknown] => Array.isArray(x) && x.length === 2 && !Array.isArray(x[0]) && !isTypedArray(x[0]);

/** MAXLOC / MINLOC: [value, index] pairs (or arrays of pairs, or interleaved typed arrays). */
export function locValues(name: 'MAXLOC' | 'MINLOC', kernel: Kernel): Scalar {
  const loc: Scalar = (a, b) => {
    if (isPair(a) && isPair(b)) {
      const [va, ia] = a as [number, number], [vb, ib] = b as [number, number];
      if (!comparable(va) || !comparable(vb)) throw opError(name, va, vb, 'pairs are [value, index] with a number, bigint or string value');
      if (name === 'MAXLOC' ? vb > va : vb < va) return b;
      if (name === 'MAXLOC' ? va > vb : va < vb) return a;
      return ib < ia ? b : a;
    }
    if (isTypedArray(a) && (a as TypedArray).length % 2 !== 0) throw opError(name, a, b, 'typed arrays hold interleaved (value, index) pairs, so their length must be even');
    const e = elementwise(name, a, b, loc, kernel);
    if (e !== undefined) return e;
    throw opError(name, a, b, `${name} takes [value, index] pairs`);
  };
  return loc;
}
