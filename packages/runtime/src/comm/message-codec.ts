/**
 * Choose a message's encoding: a bare typed array, Buffer or ArrayBuffer goes
 * as its raw bytes (no encoder touches them); anything else goes through the
 * structured value codec, with its binary parts still sent as raw segments.
 */
import { Encoding } from '../constants.js';
import { decodeValue, encodeValueToSend } from '../codec/value-codec.js';
import { binaryCode, viewAs, viewByteLength } from '../codec/typed-arrays.js';
import { type Bytes, bytesOfBinary, lengthOf, windows, WINDOW_BYTES } from '../codec/bytes.js';

export interface Outgoing { enc: number; parts: Uint8Array[]; byteLength: number }

export function encodeMessage(value: unknown): Outgoing {
  const code = binaryCode(value);
  if (code !== undefined) {
    if (code === Encoding.UINT8 || code === Encoding.BUFFER) {
      // The usual bytes: sent as they are, their length without the `byteLength` getter's call.
      const n = (value as Uint8Array).length;
      if (n <= WINDOW_BYTES) return { enc: code, parts: [value as Uint8Array], byteLength: n };
    } else if (code !== Encoding.ARRAY_BUFFER) {
      const view = value as ArrayBufferView, n = viewByteLength(view, code);
      if (n <= WINDOW_BYTES) return { enc: code, parts: [new Uint8Array(view.buffer, view.byteOffset, n)], byteLength: n };
    }
    const bytes = bytesOfBinary(value as ArrayBufferView | ArrayBuffer);
    return { enc: code, parts: windows(bytes), byteLength: bytes.byteLength };
  }
  // Already in this shape, with enc = Encoding.VALUE. The parts may share memory with other messages':
  // every transport copies or writes them, never transfers them.
  return encodeValueToSend(value);
}

export function decodeMessage(enc: number, payload: Bytes): unknown {
  if (enc === Encoding.VALUE) return decodeValue(payload);
  return viewAs(enc === Encoding.RAW ? Encoding.UINT8 : enc, payload, 0, lengthOf(payload));
}

/** The raw bytes of a message for the buffer family, or undefined when it is not binary. */
export function messageBytes(enc: number, payload: Bytes): Bytes | undefined {
  if (enc !== Encoding.VALUE) return payload;
  const v = decodeValue(payload);
  if (typeof v === 'object' && v !== null && (ArrayBuffer.isView(v) || v instanceof ArrayBuffer)) return bytesOfBinary(v as ArrayBufferView);
  return undefined;
}
