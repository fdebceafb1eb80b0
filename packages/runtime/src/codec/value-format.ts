/**
 * The value codec's wire format, shared by its writer and reader (the format
 * is described in docs/values-and-typed-arrays.md, "The value format").
 *
 * A payload is [structure][pad to 8][segment 0][pad][segment 1]...; the
 * structure starts with its own length (u32 LE) and holds one tagged entry
 * per value, depth first. Every number in it is little-endian.
 */

/** The tag byte in front of each value in the structure. */
export const T = {
  NULL: 0, UNDEFINED: 1, FALSE: 2, TRUE: 3, INT32: 4, FLOAT64: 5, BIGINT: 6, STRING: 7,
  ARRAY: 8, OBJECT: 9, MAP: 10, SET: 11, DATE: 12, BINARY: 13, ERROR: 14, HOLE: 15,
} as const;

/** Top bit of a string's byte length: the bytes are UTF-16LE, not UTF-8 (a string with lone surrogates). */
export const UTF16_FLAG = 0x80000000;
/** Strings up to this length are tried as ASCII by hand before Node's UTF-8 codec (a call into C++). */
export const SHORT_STRING = 32;
/**
 * How deep a value may nest (arrays, objects, Maps, Sets, Errors inside one
 * another). Python's pickle, what mpi4py sends values with, stops at its
 * recursion limit, 1,000 by default; a limit here turns what would be a stack
 * overflow on either side into TSMPI_ERR_VALUE (sender) or a corrupt payload (receiver).
 */
export const MAX_VALUE_DEPTH = 1000;

// Not `(n + 7) & ~7`: bitwise operators wrap at 2^31, and values may hold gigabytes.
export const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Scratch for float64 <-> bytes: a typed-array store and 8 byte copies, no Buffer or DataView per call. */
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** True on a big-endian host: the structure's numbers are little-endian everywhere. */
const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

export function putF64(b: Uint8Array, at: number, v: number): void {
  f64[0] = v;
  if (BIG_ENDIAN) { for (let i = 0; i < 8; i++) b[at + i] = f64Bytes[7 - i]!; return; }
  b[at] = f64Bytes[0]!; b[at + 1] = f64Bytes[1]!; b[at + 2] = f64Bytes[2]!; b[at + 3] = f64Bytes[3]!;
  b[at + 4] = f64Bytes[4]!; b[at + 5] = f64Bytes[5]!; b[at + 6] = f64Bytes[6]!; b[at + 7] = f64Bytes[7]!;
}

export function getF64(b: Uint8Array, at: number): number {
  if (BIG_ENDIAN) { for (let i = 0; i < 8; i++) f64Bytes[7 - i] = b[at + i]!; return f64[0]!; }
  f64Bytes[0] = b[at]!; f64Bytes[1] = b[at + 1]!; f64Bytes[2] = b[at + 2]!; f64Bytes[3] = b[at + 3]!;
  f64Bytes[4] = b[at + 4]!; f64Bytes[5] = b[at + 5]!; f64Bytes[6] = b[at + 6]!; f64Bytes[7] = b[at + 7]!;
  return f64[0]!;
}

/** `v` (0..2^32-1, or an int32 as its two's complement) as 4 bytes LE. */
export function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v; b[at + 1] = v >>> 8; b[at + 2] = v >>> 16; b[at + 3] = v >>> 24;
}

export function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
}

export function getI32(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}
