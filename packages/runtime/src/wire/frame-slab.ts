/**
 * One buffer that small frames are encoded into, reused while the kernel
 * takes each frame at once.
 *
 * A small frame goes out as one write straight to the socket's handle
 * (transport/direct-writes.ts), and the kernel almost always copies all of it
 * before the write returns: its memory is free again as soon as it was
 * written. A fresh `Buffer.allocUnsafe` per frame cost ~550 instructions
 * (Node's pool bookkeeping and a new Buffer object), about a tenth of a
 * send. Frames are encoded at the start of this one buffer instead, through a
 * Buffer view made once per frame length. When a frame is *not* written at
 * once (libuv or a Writable keeps it to write later), its writer calls
 * `retireFrameSlab()`: the kept buffer stays alive as long as its views do,
 * and frames get buffers of their own size until a frame is written at once
 * again (`frameWritten()`): while the kernel's buffer is full, every write is
 * kept, and a reused buffer per kept frame would hold 17 KiB for each small one.
 */
import { Buffer } from 'node:buffer';

let slab: Buffer | undefined;
/** Views of the slab's first n bytes, by n (made on first use). */
let views: (Buffer | undefined)[] = [];
/** False from a kept frame until a frame is written at once again. */
let reusing = true;

/**
 * A Buffer of `n` bytes (at most FRAME_SLAB_BYTES) at the start of the reused
 * buffer, valid until the next call unless the caller retires it; a fresh one
 * of its own while writes are being kept (see above).
 */
export function frameSlabView(n: number): Buffer {
  if (!reusing) return Buffer.allocUnsafe(n);
  const v = views[n];
  if (v !== undefined) return v;
  slab ??= Buffer.allocUnsafeSlow(FRAME_SLAB_BYTES);
  return (views[n] = slab.subarray(0, n));
}

/** The last frame handed out is kept by a writer: leave its memory alone, and stop reusing for now. */
export function retireFrameSlab(): void {
  slab = undefined;
  views = [];
  reusing = false;
}

/** A frame was written at once (the kernel took all of it): the next may reuse the buffer again. */
export function frameWritten(): void {
  reusing = true;
}

/** Size of the reused buffer: the largest inline frame with a header of the fixed layout and ws room. */
export const FRAME_SLAB_BYTES = 17 * 1024;
