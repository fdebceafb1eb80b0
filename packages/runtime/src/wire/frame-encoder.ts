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
  // Byte stores, not Buffer's writeUInt32LE (an un-inlined call with range checks, per field).
  putUint32LE(out, room, h);
  putUint32LE(out, room + 4, payloadBytes % 0x100000000);
  putUint32LE(out, room + 8, Math.floor(payloadBytes / 0x100000000));
  writeHeader(header, out, room + FRAME_PREFIX_BYTES, fixed);
  if (inline) {
    let off = headBytes;
    for (let i = 0; i < inline.length; i++) {
      const p = inline[i]!;
      const n = p.byteLength;
      // A few bytes (a number, a signal) by hand: set() is a builtin call.
      if (n <= 16) for (let j = 0; j < n; j++) out[off + j] = p[j]!;
      else out.set(p, off);
      off += n;
    }
  }
  return out;
}

function putUint32LE(out: Uint8Array, at: number, v: number): void {
  out[at] = v; out[at + 1] = v >>> 8; out[at + 2] = v >>> 16; out[at + 3] = v >>> 24;
}

/** Payloads up to this size are copied into the frame head and written at once. */
export const INLINE_PAYLOAD_BYTES = 16 * 1024;
