/**
 * Message bytes of any size. On Node 20 no Uint8Array (or Buffer) can span
 * more than 4 GiB, yet an ArrayBuffer — and a Float64Array over it — can be
 * far larger. So a payload is described by its buffer, offset and length (a
 * Uint8Array already is one), and is only ever touched through windows of at
 * most WINDOW_BYTES: writes take a list of windows, copies go window by window.
 */
import { Buffer } from 'node:buffer';
import { MAX_BUFFER_BYTES } from '../constants.js';

/** A run of bytes: a Uint8Array, or (above MAX_BUFFER_BYTES) the same three fields over an ArrayBuffer. */
export interface Bytes {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** Largest view made over a payload: well below every engine's typed-array limit. */
export const WINDOW_BYTES = 2 ** 30;

/**
 * Payloads up to this size are carved out of a shared slab: a new ArrayBuffer
 * costs 1-2.5 us in V8, a view into a slab a tenth of that. What escapes to
 * the program from a slab is copied out first (see typed-arrays.ts viewAs).
 */
export const SMALL_PAYLOAD_BYTES = 1024;
const SLAB_BYTES = 64 * 1024;
/**
 * Every slab ever made, marked exactly: a program's own ArrayBuffer of the
 * same size is never taken for one (its views must reach the program as they are).
 */
const slabs = new WeakSet<ArrayBufferLike>();
const newSlab = (): ArrayBuffer => { const b = new ArrayBuffer(SLAB_BYTES); slabs.add(b); return b; };
let slab = newSlab();
let slabUsed = 0;
/**
 * The last bytes carved out of a slab, with their buffer and offset: in Node 20 a
 * typed array's `buffer`, `byteOffset` and `byteLength` getters are calls (~150-250
 * instructions each, where `length` is inlined), and the payload just received is
 * most often the one decoded next (bufferOf, offsetOf).
 */
let lastSmall: Uint8Array | undefined;
let lastSmallBuffer: ArrayBuffer = slab;
let lastSmallOffset = 0;

/** True when `b` lives in a shared slab (so views of it must not reach the program). */
export function inSlab(b: Bytes): boolean {
  return isSlab(b.buffer);
}

/** True when `buf` is a shared slab. */
export function isSlab(buf: ArrayBufferLike): boolean {
  // The current slab first (the usual case: a payload just received); then the size test, which
  // rules out almost every other buffer without the set lookup.
  return buf === slab || (buf.byteLength === SLAB_BYTES && slabs.has(buf));
}

/**
 * Fresh bytes, starting 8-byte aligned (so every typed-array view into them is
 * aligned): small ones from the slab, others in their own zero-offset buffer.
 * **Not zeroed: the caller writes every byte** (a received payload, a send's
 * concatenation). Skipping the zero fill saves a pass over the memory: 3.4 → 2.2 ms
 * of CPU to allocate and fill 16 MiB here.
 */
export function allocBytes(n: number, maxView = MAX_BUFFER_BYTES): Bytes {
  if (n > maxView) return { buffer: new ArrayBuffer(n), byteOffset: 0, byteLength: n };
  if (n <= SMALL_PAYLOAD_BYTES) {
    if (slabUsed + n > SLAB_BYTES) { slab = newSlab(); slabUsed = 0; }
    const b = new Uint8Array(slab, slabUsed, n);
    lastSmall = b; lastSmallBuffer = slab; lastSmallOffset = slabUsed;
    slabUsed += Math.ceil(n / 8) * 8 || 8;
    return b;
  }
  // A plain Uint8Array (not a Buffer) over the uninitialised ArrayBuffer of its own that allocUnsafeSlow makes.
  return new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
}

/** `b.buffer`, without the getter's call for the bytes allocBytes made last. */
export function bufferOf(b: Bytes): ArrayBufferLike {
  return b === lastSmall ? lastSmallBuffer : b.buffer;
}

/** `b.byteOffset`, without the getter's call for the bytes allocBytes made last. */
export function offsetOf(b: Bytes): number {
  return b === lastSmall ? lastSmallOffset : b.byteOffset;
}

/** `b.byteLength`: a Uint8Array's `length` (inlined by V8, where `byteLength` is a call). */
export function lengthOf(b: Bytes): number {
  return isUint8(b) ? b.length : b.byteLength;
}

/** True when the bytes are a real Uint8Array (every payload up to MAX_BUFFER_BYTES). */
export function isUint8(b: Bytes): b is Uint8Array {
  return b instanceof Uint8Array;
}

/** The bytes of a typed array, Buffer or ArrayBuffer, without a copy and whatever their size. */
export function bytesOfBinary(value: ArrayBufferView | ArrayBuffer): Bytes {
  if (value instanceof ArrayBuffer) {
    return value.byteLength <= MAX_BUFFER_BYTES ? new Uint8Array(value) : { buffer: value, byteOffset: 0, byteLength: value.byteLength };
  }
  if (value instanceof Uint8Array) return value;
  const n = value.byteLength; // read once: a call into a builtin in Node 20
  if (n <= MAX_BUFFER_BYTES) return new Uint8Array(value.buffer, value.byteOffset, n);
  return { buffer: value.buffer, byteOffset: value.byteOffset, byteLength: n };
}

/** `len` bytes of `b` from `off` as views of at most WINDOW_BYTES each (one view when small). */
export function windows(b: Bytes, off = 0, len = b.byteLength - off, size = WINDOW_BYTES): Uint8Array[] {
  if (len <= size) {
    if (isUint8(b) && off === 0 && len === b.byteLength) return [b];
    return [new Uint8Array(b.buffer, b.byteOffset + off, len)];
  }
  const out: Uint8Array[] = [];
  for (let o = 0; o < len; o += size) out.push(new Uint8Array(b.buffer, b.byteOffset + off + o, Math.min(size, len - o)));
  return out;
}

/** The first `n` bytes of `b`, without a copy. */
export function prefix(b: Bytes, n: number): Bytes {
  if (n === b.byteLength) return b;
  return isUint8(b) ? b.subarray(0, n) : { buffer: b.buffer, byteOffset: b.byteOffset, byteLength: n };
}

/** Copy `parts` one after another into `dst` from `at`; returns the offset after the last byte. */
export function copyInto(dst: Bytes, parts: readonly Uint8Array[], at = 0, size = WINDOW_BYTES): number {
  let off = at;
  if (isUint8(dst)) {
    // Every part fits a Uint8Array destination: no windows (the per-message path).
    for (const p of parts) { dst.set(p, off); off += p.byteLength; }
    return off;
  }
  for (const p of parts) {
    for (let o = 0; o < p.byteLength; o += size) {
      const n = Math.min(size, p.byteLength - o);
      new Uint8Array(dst.buffer, dst.byteOffset + off, n).set(n === p.byteLength ? p : p.subarray(o, o + n));
      off += n;
    }
  }
  return off;
}

/** Fresh bytes holding `parts` concatenated. */
export function concatBytes(parts: readonly Uint8Array[], byteLength: number): Bytes {
  const out = allocBytes(byteLength);
  copyInto(out, parts);
  return out;
}
