/**
 * Frame layout on a byte stream:
 *   u32 LE  header length (<= MAX_HEADER_BYTES)
 *   u64 LE  payload length (<= the receiver's limit)
 *   header  (msgpack, wire/header.ts)
 *   payload (raw bytes: a typed array's memory, or the value codec's output)
 */
// Imported: the global Buffer is a getter in Node 20, read on every message otherwise.
import { Buffer } from 'node:buffer';
import { FRAME_PREFIX_BYTES } from '../constants.js';
import { fitsFixed, type FrameHeader, headerBytes, writeHeader } from './header.js';
import { FRAME_SLAB_BYTES, frameSlabView } from './frame-slab.js';

/**
 * The prefix and header of a frame, as one buffer; the payload parts follow as
 * they are. With `inline`, the (small) payload is copied in too, so the whole
 * frame is one write: for small messages a copy is cheaper than a vectored write.
 * `room` bytes are left free in front of the frame, for a transport that puts
 * a head of its own there (ws-stream.ts: no second buffer per message).
 * With `reuse`, a frame that fits is encoded into the reused frame buffer
 * (frame-slab.ts): valid until the next such call, unless the caller, whose
 * write kept it, calls `retireFrameSlab()`.
 */
export function encodeFrameHead(header: FrameHeader, payloadBytes: number, inline?: readonly Uint8Array[], room = 0, reuse = false): Buffer {
  // One int32 check of the six fields, shared by sizing and writing.
  const fixed = fitsFixed(header);
  const h = headerBytes(header, fixed);
  const headBytes = room + FRAME_PREFIX_BYTES + h;
  const total = headBytes + (inline ? payloadBytes : 0);
  const out = reuse && total <= FRAME_SLAB_BYTES ? frameSlabView(total) : Buffer.allocUnsafe(total);
  out.writeUInt32LE(h, room);
  out.writeUInt32LE(payloadBytes % 0x100000000, room + 4);
  out.writeUInt32LE(Math.floor(payloadBytes / 0x100000000), room + 8);
  writeHeader(header, out, room + FRAME_PREFIX_BYTES, fixed);
  if (inline) {
    let off = headBytes;
    for (const p of inline) { out.set(p, off); off += p.byteLength; }
  }
  return out;
}

/** Payloads up to this size are copied into the frame head and written at once. */
export const INLINE_PAYLOAD_BYTES = 16 * 1024;
