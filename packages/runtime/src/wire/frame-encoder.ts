/**
 * Frame layout on a byte stream:
 *   u32 LE  header length (<= MAX_HEADER_BYTES)
 *   u64 LE  payload length (<= the receiver's limit)
 *   header  (msgpack, wire/header.ts)
 *   payload (raw bytes: a typed array's memory, or the value codec's output)
 */
import { FRAME_PREFIX_BYTES } from '../constants.js';
import { type FrameHeader, packHeader } from './header.js';

/** The prefix and header of a frame, as one buffer; the payload parts follow as they are. */
export function encodeFrameHead(header: FrameHeader, payloadBytes: number): Buffer {
  const h = packHeader(header);
  const out = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + h.length);
  out.writeUInt32LE(h.length, 0);
  out.writeUInt32LE(payloadBytes % 0x100000000, 4);
  out.writeUInt32LE(Math.floor(payloadBytes / 0x100000000), 8);
  h.copy(out, FRAME_PREFIX_BYTES);
  return out;
}
