/**
 * Typed-array helpers of the buffer (Uppercase) family: argument checks whose
 * errors say what to do, the kind of an array (a Buffer counts as a
 * Uint8Array), and checks of received blocks.
 */
import { ErrorCode, type TypedArray, binaryCode, bytesOf, describe, isTypedArray, tsmpiError } from '@tsmpi/runtime';
import { MAX_COLLECTIVE_BYTES } from './constants.js';
import type { Into } from './exchange.js';

export type { TypedArray };
export type TypedArrayCtor = new (length: number) => TypedArray;

/** The constructor that makes arrays of `a`'s kind (Uint8Array for a Buffer). */
export function ctorOf(a: TypedArray): TypedArrayCtor {
  return (Buffer.isBuffer(a) ? Uint8Array : a.constructor) as TypedArrayCtor;
}

export function kindOf(a: TypedArray): string { return ctorOf(a).name; }

/**
 * `a` itself, or a plain Uint8Array over a Buffer's bytes: both are the same
 * kind here, but each travels under its own code, and a range is received in
 * place only under the code its receiver expects.
 */
export function plain(a: TypedArray): TypedArray {
  return Buffer.isBuffer(a) ? new Uint8Array(a.buffer, a.byteOffset, a.length) : a;
}

/**
 * Receive a block of `place`'s kind (its wire code) and byte size straight
 * into `place`; any other message goes where `otherwise` says (undefined: a
 * fresh buffer).
 */
export function inPlace(place: TypedArray, otherwise?: Into): Into {
  const bytes = bytesOf(place), code = binaryCode(place);
  return (n, enc) => (n === bytes.byteLength && enc === code ? bytes : otherwise?.(n, enc));
}

/** `count` elements of `model`'s kind over `bytes` from byte `off` (a typed view of scratch memory). */
export function viewIn(model: TypedArray, bytes: Uint8Array, off: number, count: number): TypedArray {
  const Ctor = ctorOf(model) as unknown as new (b: ArrayBufferLike, off: number, n: number) => TypedArray;
  return new Ctor(bytes.buffer, bytes.byteOffset + off, count);
}

/** A new zero-filled array of `a`'s kind. */
export function alloc(a: TypedArray, length: number): TypedArray {
  return new (ctorOf(a))(length);
}

/** A copy of `a` (never sharing memory with it). */
export function copyOf(a: TypedArray): TypedArray {
  const c = alloc(a, a.length);
  c.set(a as never);
  return c;
}

/** Copy `src` into `dst` at element `offset` (same kind); nothing to do when `src` already is that memory (received in place). */
export function copyInto(dst: TypedArray, src: TypedArray, offset = 0): void {
  if (src.buffer === dst.buffer && src.byteOffset === dst.byteOffset + offset * dst.BYTES_PER_ELEMENT) return;
  dst.set(src as never, offset);
}

export function isBigKind(a: TypedArray): boolean {
  return a instanceof BigInt64Array || a instanceof BigUint64Array;
}

/** `x` as a typed array, or a TSMPI_ERR_BUFFER that says what to pass. */
export function typed(x: unknown, what: string): TypedArray {
  if (!isTypedArray(x)) {
    throw tsmpiError(ErrorCode.BUFFER, `${what} must be a typed array (e.g. Float64Array or Buffer), got ${describe(x)}; use the lowercase call for other values`);
  }
  tooLarge((x as TypedArray).byteLength, what);
  return x as TypedArray;
}

/** Collectives take at most MAX_COLLECTIVE_BYTES per rank (point to point takes any size). */
export function tooLarge(bytes: number, what: string): void {
  if (bytes > MAX_COLLECTIVE_BYTES) {
    throw tsmpiError(ErrorCode.UNSUPPORTED, `${what} holds ${bytes} bytes; collectives take at most ${MAX_COLLECTIVE_BYTES} bytes per rank on this Node for now: split the data into several calls, or send it point to point (no size limit there)`);
  }
}

/** Check that `got` has `n` elements. */
export function checkLength(got: number, n: number, what: string): void {
  if (got !== n) {
    throw tsmpiError(ErrorCode.TRUNCATE, `${what} has ${got} elements where ${n} are needed; pass buffers of matching sizes on every rank`);
  }
}

/**
 * A received block, checked against the kind of `model` and a length of `n`
 * elements (TSMPI_ERR_TRUNCATE when it differs, TSMPI_ERR_BUFFER for another kind).
 */
export function received(block: unknown, model: TypedArray, n: number, what: string): TypedArray {
  if (!isTypedArray(block)) throw tsmpiError(ErrorCode.PROTOCOL, `${what}: expected a buffer block, got ${describe(block)}; every rank must call the same collectives in the same order`);
  const b = block as TypedArray;
  if (kindOf(b) !== kindOf(model)) {
    throw tsmpiError(ErrorCode.BUFFER, `${what}: a peer sent ${kindOf(b)} data into a ${kindOf(model)} buffer; use the same typed-array kind on every rank`);
  }
  if (b.length !== n) {
    throw tsmpiError(ErrorCode.TRUNCATE, `${what}: a peer sent ${b.length} elements where this rank's buffer expects ${n}; pass buffers of matching sizes on every rank`);
  }
  return b;
}
