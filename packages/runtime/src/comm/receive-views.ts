/**
 * The byte views that `Recv` and `Irecv` copy a message into, kept per
 * receive buffer. A byte view of a typed array (`new Uint8Array(a.buffer,
 * a.byteOffset, a.byteLength)`) costs ~800 instructions, about as much as
 * the rest of a small receive's matching; a program receives into the same
 * array over and over (MPI's way), so the view is made once per array and
 * looked up after (a WeakMap lookup: a fifth of that; the array's own lifetime).
 */
import { type Bytes, bytesOfBinary } from '../codec/bytes.js';

const views = new WeakMap<object, Bytes>();

/** The bytes of `buf` (a checked buffer argument): itself for a Uint8Array or Buffer, else its kept view. */
export function receiveView(buf: ArrayBufferView | ArrayBuffer): Bytes {
  if (buf instanceof Uint8Array) return buf;
  const kept = views.get(buf);
  // A view of a resizable buffer may change length: a stale one is made again.
  if (kept !== undefined && kept.byteLength === buf.byteLength) return kept;
  const fresh = bytesOfBinary(buf);
  views.set(buf, fresh);
  return fresh;
}
