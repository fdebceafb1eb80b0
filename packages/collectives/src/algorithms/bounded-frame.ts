/**
 * The small messages of Allreduce's first phase as one bare binary frame:
 * the payload's bytes, padded to 8, then a trailer of four float64s
 * (smallest and largest byte length seen so far, the payload's encoding code,
 * its byte length). The other form, `[least, most, payload]`, goes through
 * the value codec on both sides (a msgpack structure around the array, read
 * back into new objects), which is most of what a small Allreduce costs above
 * its messages.
 * Large payloads keep the value form: copying them into a frame would cost
 * more than the codec's structure section, and they may be received in place.
 */
import { binaryCode, bytesOf, decodeMessage } from '@tsmpi/runtime';
import type { TypedArray } from '../buffers.js';
import { BOUNDED_FRAME_MAX_BYTES } from '../constants.js';

const TRAILER_FLOATS = 4;
const TRAILER_BYTES = TRAILER_FLOATS * 8;

/** True when `payload` travels as a bounded frame. */
export const fitsBoundedFrame = (payload: TypedArray): boolean => payload.byteLength <= BOUNDED_FRAME_MAX_BYTES;

export function packBounded(payload: TypedArray, least: number, most: number): Uint8Array {
  const n = payload.byteLength, at = Math.ceil(n / 8) * 8;
  const out = new Uint8Array(at + TRAILER_BYTES);
  out.set(bytesOf(payload));
  const t = new Float64Array(out.buffer, out.byteOffset + at, TRAILER_FLOATS);
  t[0] = least; t[1] = most; t[2] = binaryCode(payload)!; t[3] = n;
  return out;
}

/** A bounded frame's parts; undefined when `msg` is not one (any other value, or malformed). */
export function unpackBounded(msg: unknown): { least: number; most: number; data: unknown } | undefined {
  if (!(msg instanceof Uint8Array) || msg.byteLength < TRAILER_BYTES || msg.byteLength % 8 !== 0) return undefined;
  const at = msg.byteLength - TRAILER_BYTES;
  // The trailer is read through a copy-free view when aligned (received frames start 8-byte aligned).
  const t = (msg.byteOffset + at) % 8 === 0
    ? new Float64Array(msg.buffer, msg.byteOffset + at, TRAILER_FLOATS)
    : new Float64Array(msg.slice(at).buffer);
  const [least, most, code, n] = t as unknown as [number, number, number, number];
  if (!(n >= 0 && n <= at && at - n < 8)) return undefined;
  const data = decodeMessage(code, msg.subarray(0, n));
  return data === undefined ? undefined : { least, most, data };
}
