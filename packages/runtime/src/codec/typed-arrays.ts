import { Buffer } from 'node:buffer';
import { Encoding } from '../constants.js';
import { type Bytes, bufferOf, isSlab, offsetOf } from './bytes.js';

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

/** Encoding code → bytes per element (a table: the constructors' own property is a polymorphic load). */
const elementBytes: number[] = [];
for (const [code, ctor] of Object.entries(typedArrayByCode)) elementBytes[Number(code)] = ctor.BYTES_PER_ELEMENT;
elementBytes[Encoding.BUFFER] = 1;

/**
 * The byte length of a typed array or Buffer whose code (viewCode) is `code`:
 * its `length` times the element size. In Node 20 V8 inlines a typed array's
 * `length` but calls a builtin for `byteLength` (~150 instructions).
 */
export function viewByteLength(view: ArrayBufferView, code: number): number {
  return (view as Uint8Array).length * elementBytes[code]!;
}

const codeByCtor = new Map<unknown, number>(
  Object.entries(typedArrayByCode).map(([code, ctor]) => [ctor, Number(code)]),
);

/** The encoding code of a typed array, Buffer or ArrayBuffer; undefined for anything else. */
export function binaryCode(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (ArrayBuffer.isView(value)) return viewCode(value);
  if (value instanceof ArrayBuffer) return Encoding.ARRAY_BUFFER;
  return undefined;
}

/** The encoding code of a typed array or Buffer; undefined for a DataView. */
export function viewCode(view: ArrayBufferView): number | undefined {
  // By constructor (a Buffer's is Buffer): cheaper than instanceof tests. The usual kind first.
  const ctor = view.constructor;
  if (ctor === Float64Array) return Encoding.FLOAT64;
  if (ctor === Buffer) return Encoding.BUFFER;
  const code = codeByCtor.get(ctor);
  if (code !== undefined && code !== Encoding.UINT8) return code;
  // A Uint8Array, or a kind made by a subclass: a Buffer is told apart as Node does.
  return Buffer.isBuffer(view) ? Encoding.BUFFER : code;
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
  // Read once: a typed array's `buffer` getter is a call into C++ (none for a payload just received).
  const buffer = bufferOf(bytes);
  return viewIn(code, buffer, offsetOf(bytes) + off, len, isSlab(buffer));
}

/**
 * viewAs with the payload's buffer given (`start` from the buffer's start):
 * `own` true when that buffer is a shared slab, whose bytes the program gets
 * a copy of, never a view.
 */
export function viewIn(code: number, buffer: ArrayBufferLike, start: number, len: number, own: boolean): unknown {
  if (code === Encoding.BUFFER) return own ? Buffer.from(new Uint8Array(buffer, start, len)) : Buffer.from(buffer, start, len);
  if (code === Encoding.ARRAY_BUFFER) {
    if (start === 0 && len === buffer.byteLength) return buffer;
    return buffer.slice(start, start + len);
  }
  const Ctor = typedArrayByCode[code];
  if (!Ctor) return undefined;
  const size = elementBytes[code]!;
  const n = len / size;
  if (start % size === 0) {
    if (!own) return new Ctor(buffer, start, n);
    // One allocation: a slice of the whole slab viewed as this kind (a byte copy, NaN bits kept).
    const from = start / size;
    return slabAs(code, Ctor, buffer).slice(from, from + n);
  }
  return new Ctor(buffer.slice(start, start + len), 0, n);
}

/** The slab last copied from, and views of all of it by encoding code (made on first use). */
let viewed: ArrayBufferLike | undefined;
const slabViews: (TypedArray | undefined)[] = [];

function slabAs(code: number, Ctor: TypedArrayCtor, slab: ArrayBufferLike): TypedArray {
  if (slab !== viewed) { slabViews.fill(undefined); viewed = slab; }
  return slabViews[code] ??= new Ctor(slab, 0, slab.byteLength / Ctor.BYTES_PER_ELEMENT);
}
