/** Argument checks of the buffer family; every error says what to pass instead. */
import { ErrorCode, describe, tsmpiError } from '@tsmpi/runtime';
import { type TypedArray, checkLength, kindOf, typed } from '../buffers.js';
import { IN_PLACE } from '../constants.js';

/** A buffer with per-rank counts and displacements, in elements (mpi4py's `[buf, counts, displs]`). */
export interface VectorSpec { buf: TypedArray; counts: number[]; displs: number[] }

/** `[buf, counts]` or `[buf, counts, displs]`; displacements default to the running sum of counts. */
export function vectorSpec(x: unknown, size: number, what: string): VectorSpec {
  if (!Array.isArray(x) || x.length < 2 || x.length > 3) {
    throw tsmpiError(ErrorCode.ARG, `${what} must be [buffer, counts, displs] (displs optional), got ${describe(x)}`);
  }
  const buf = typed(x[0], `${what} buffer`);
  const counts = countsOf(x[1], size, `${what} counts`);
  let displs: number[];
  if (x[2] === undefined || x[2] === null) {
    displs = [];
    let at = 0;
    for (const c of counts) { displs.push(at); at += c; }
  } else {
    displs = countsOf(x[2], size, `${what} displs`);
  }
  for (let i = 0; i < size; i++) {
    if (displs[i]! + counts[i]! > buf.length) {
      throw tsmpiError(ErrorCode.TRUNCATE, `${what}: block ${i} (${counts[i]} elements at ${displs[i]}) runs past the end of the ${buf.length}-element buffer; pass a larger buffer or smaller counts`);
    }
  }
  return { buf, counts, displs };
}

/** One non-negative integer per rank. */
export function countsOf(x: unknown, size: number, what: string): number[] {
  if (!Array.isArray(x) && !ArrayBuffer.isView(x)) throw tsmpiError(ErrorCode.ARG, `${what} must be an array of ${size} non-negative integers, got ${describe(x)}`);
  const a = Array.from(x as ArrayLike<unknown>);
  if (a.length !== size || !a.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw tsmpiError(ErrorCode.ARG, `${what} must be an array of ${size} non-negative integers (one per rank)`);
  }
  return a as number[];
}

/** The send buffer, or `fallback` for IN_PLACE. */
export function sendOrInPlace(x: unknown, fallback: TypedArray, what: string): TypedArray {
  return x === IN_PLACE ? fallback : typed(x, what);
}

/** Same kind and length, or the error that says which differs. */
export function sameShape(a: TypedArray, b: TypedArray, what: string): void {
  sameKind(a, b, what);
  checkLength(a.length, b.length, what);
}

export function sameKind(a: TypedArray, b: TypedArray, what: string): void {
  if (kindOf(a) !== kindOf(b)) {
    throw tsmpiError(ErrorCode.BUFFER, `${what}: the send buffer is a ${kindOf(a)} and the receive buffer a ${kindOf(b)}; use one kind`);
  }
}

/** The block length n of a buffer holding `size` blocks. */
export function blockLength(buf: TypedArray, size: number, what: string): number {
  if (buf.length % size !== 0) {
    throw tsmpiError(ErrorCode.TRUNCATE, `${what} has ${buf.length} elements, not a multiple of the ${size} ranks; pass ${size} equal blocks`);
  }
  return buf.length / size;
}
