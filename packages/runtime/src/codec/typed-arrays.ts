import { Encoding } from '../constants.js';
import { type Bytes, inSlab } from './bytes.js';

/** Any typed array kind the runtime can carry. */
export type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

type TypedArrayCtor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  new (length: number): TypedArray;
  BYTES_PER_ELEMENT: number;
};

/** Encoding code → constructor (Buffer and ArrayBuffer are handled apart). */
export const typedArrayByCode: Record<number, TypedArrayCtor> = {
  [Encoding.INT8]: Int8Array,
  [Encoding.UINT8]: Uint8Array,
  [Encoding.UINT8_CLAMPED]: Uint8ClampedArray,
  [Encoding.INT16]: Int16Array,
  [Encoding.UINT16]: Uint16Array,
  [Encoding.INT32]: Int32Array,
  [Encoding.UINT32]: Uint32Array,
  [Encoding.FLOAT32]: Float32Array,
  [Encoding.FLOAT64]: Float64Array,
  [Encoding.BIGINT64]: BigInt64Array,
  [Encoding.BIGUINT64]: BigUint64Array,
};

const codeByCtor = new Map<unknown, number>(
  Object.entries(typedArrayByCode).map(([code, ctor]) => [ctor, Number(code)]),
);

/** The encoding code of a typed array, Buffer or ArrayBuffer; undefined for anything else. */
export function binaryCode(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Buffer.isBuffer(value)) return Encoding.BUFFER;
  if (value instanceof ArrayBuffer) return Encoding.ARRAY_BUFFER;
  return codeByCtor.get((value as object).constructor);
}

export function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** A zero-copy byte view of a typed array, Buffer or ArrayBuffer. */
export function bytesOf(value: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * View `len` bytes of `bytes` at `off` as the kind named by `code`. The view
 * shares memory when the offset is aligned for the element size, else copies.
 * Works on payloads of any size (see bytes.ts); a Buffer is at most 4 GiB on
 * Node 20, so a larger one cannot have been sent.
 */
export function viewAs(code: number, bytes: Bytes, off: number, len: number): unknown {
  const start = bytes.byteOffset + off;
  // A small payload shares a slab with others: the program gets its own copy, never a view of the slab.
  const own = inSlab(bytes);
  if (code === Encoding.BUFFER) return own ? Buffer.from(new Uint8Array(bytes.buffer, start, len)) : Buffer.from(bytes.buffer, start, len);
  if (code === Encoding.ARRAY_BUFFER) {
    if (start === 0 && len === bytes.buffer.byteLength) return bytes.buffer;
    return bytes.buffer.slice(start, start + len);
  }
  const Ctor = typedArrayByCode[code];
  if (!Ctor) return undefined;
  const n = len / Ctor.BYTES_PER_ELEMENT;
  if (start % Ctor.BYTES_PER_ELEMENT === 0) {
    const view = new Ctor(bytes.buffer, start, n);
    if (!own) return view;
    const copy = new Ctor(n) as TypedArray & { set(a: ArrayLike<number | bigint>): void };
    copy.set(view as unknown as ArrayLike<number | bigint>);
    return copy;
  }
  return new Ctor(bytes.buffer.slice(start, start + len), 0, n);
}
