/**
 * The frame header: a small msgpack array routed by the engine.
 * `[kind, ctx, src, tag, enc, depth]` — `depth` is the sender's logical clock
 * (used to measure rounds on the critical path; 0 when nobody counts).
 */
import { createRequire } from 'node:module';
import type { Packr } from 'msgpackr/pack';
import { Encoding, FrameKind } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';

export interface FrameHeader {
  kind: FrameKind;
  /** Context id of the communicator (even: point-to-point, odd: collectives). */
  ctx: number;
  /** Sender's rank in the world. */
  src: number;
  tag: number;
  /** Payload encoding (constants.ts `Encoding`). */
  enc: number;
  depth: number;
}

/**
 * The general msgpack codec, for headers outside the fixed layout (below): a field that is not an
 * int32, or a peer that writes msgpack its own way. tsmpi's ranks always write the fixed layout, so it
 * is loaded on first use: importing msgpackr cost every rank ~25 M instructions of its start-up
 * (a quarter of importing the runtime). 'msgpackr/pack' (the same Packr, which also unpacks).
 */
let general: Packr | undefined;
function packr(): Packr {
  general ??= new (createRequire(import.meta.url)('msgpackr/pack') as typeof import('msgpackr/pack')).Packr({ useRecords: false });
  return general;
}
/** Known frame kinds and payload encodings, as tables by value (a Set lookup per field cost ~100 instructions). */
const table = (values: number[]) => { const t: boolean[] = []; for (const v of values) t[v] = true; return t; };
const KINDS = table(Object.values(FrameKind));
const ENCODINGS = table(Object.values(Encoding));
/** True when `t` (from `table`) holds the int32 `v` (a negative v is no index: tested apart). */
const holds = (t: boolean[], v: number) => v >= 0 && v < t.length && t[v] === true;

/**
 * The usual header as msgpack written by hand: a fixarray of six int32s
 * (0x96, then 0xd2 + 4 bytes big-endian for each), 31 bytes. Any msgpack
 * decoder reads it; the common case skips the general encoder and decoder,
 * which cost more per message than everything else in the header.
 */
export const FIXED_HEADER_BYTES = 31;
const FIXARRAY_6 = 0x96, INT32 = 0xd2;
const isInt32 = (x: number) => (x | 0) === x;

/** True when every field is an int32, so the header takes the fixed layout. */
export function fitsFixed(h: FrameHeader): boolean {
  return isInt32(h.ctx) && isInt32(h.src) && isInt32(h.tag) && isInt32(h.depth) && isInt32(h.kind) && isInt32(h.enc);
}

/**
 * Bytes `writeHeader` produces for `h` (so a frame head can be sized before
 * writing). `fixed` is `fitsFixed(h)`, when the caller has it already.
 */
export function headerBytes(h: FrameHeader, fixed = fitsFixed(h)): number {
  return fixed ? FIXED_HEADER_BYTES : packr().pack(toArray(h)).length;
}

/**
 * The type byte and big-endian int32 `v` at `at` (a field of the fixed layout). Plain byte stores:
 * Buffer's writeInt32BE is a call with range checks that V8 does not inline (~100 instructions each).
 */
function putInt32(out: Uint8Array, at: number, v: number): void {
  out[at] = INT32;
  out[at + 1] = v >>> 24; out[at + 2] = v >>> 16; out[at + 3] = v >>> 8; out[at + 4] = v;
}

/** Write the header into `out` at `at`; returns the bytes written. `fixed` as for headerBytes. */
export function writeHeader(h: FrameHeader, out: Buffer, at: number, fixed = fitsFixed(h)): number {
  if (fixed) {
    out[at] = FIXARRAY_6;
    putInt32(out, at + 1, h.kind);
    putInt32(out, at + 6, h.ctx);
    putInt32(out, at + 11, h.src);
    putInt32(out, at + 16, h.tag);
    putInt32(out, at + 21, h.enc);
    putInt32(out, at + 26, h.depth);
    return FIXED_HEADER_BYTES;
  }
  const b = packr().pack(toArray(h));
  b.copy(out, at);
  return b.length;
}

const toArray = (h: FrameHeader) => [h.kind, h.ctx, h.src, h.tag, h.enc, h.depth];

export function packHeader(h: FrameHeader): Buffer {
  const fixed = fitsFixed(h);
  const out = Buffer.allocUnsafe(headerBytes(h, fixed));
  writeHeader(h, out, 0, fixed);
  return out;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** True when the `len` bytes at `at` are the fixed layout (see FIXED_HEADER_BYTES). */
function isFixed(b: Uint8Array, at: number, len: number): boolean {
  if (len !== FIXED_HEADER_BYTES || b[at] !== FIXARRAY_6) return false;
  for (let i = at + 1; i < at + FIXED_HEADER_BYTES; i += 5) if (b[i] !== INT32) return false;
  return true;
}

/** The big-endian int32 after the type byte at `at` (the fixed layout's fields). */
const int32At = (b: Uint8Array, at: number) => (b[at + 1]! << 24) | (b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]!;

/** The fixed layout, read straight into the header (no intermediate array: once per message). */
function readFixed(b: Uint8Array, at: number): FrameHeader {
  return { kind: int32At(b, at + 1) as FrameKind, ctx: int32At(b, at + 6), src: int32At(b, at + 11), tag: int32At(b, at + 16), enc: int32At(b, at + 21), depth: int32At(b, at + 26) };
}

/** Any other msgpack form of `[kind, ctx, src, tag, enc, depth]`. */
function readGeneral(bytes: Uint8Array): FrameHeader {
  let a: unknown;
  try {
    a = packr().unpack(bytes);
  } catch (cause) {
    throw tsmpiError(ErrorCode.PROTOCOL, 'a frame header is not valid msgpack: the peer is not a compatible tsmpi rank', cause);
  }
  if (!Array.isArray(a) || a.length !== 6 || !a.every(isInt)) {
    throw tsmpiError(ErrorCode.PROTOCOL, 'a frame header has the wrong shape: the peer is not a compatible tsmpi rank');
  }
  const [kind, ctx, src, tag, enc, depth] = a as number[];
  return { kind: kind as FrameKind, ctx: ctx!, src: src!, tag: tag!, enc: enc!, depth: depth! };
}

/** The header in the `len` bytes of `bytes` at `at` (all of them by default), checked. */
export function unpackHeader(bytes: Uint8Array, at = 0, len = bytes.length - at): FrameHeader {
  const h = isFixed(bytes, at, len) ? readFixed(bytes, at) : readGeneral(bytes.subarray(at, at + len));
  if (!holds(KINDS, h.kind)) throw tsmpiError(ErrorCode.PROTOCOL, `unknown frame kind ${h.kind}: the peer is not a compatible tsmpi rank`);
  if (!holds(ENCODINGS, h.enc)) throw tsmpiError(ErrorCode.PROTOCOL, `unknown payload encoding ${h.enc}: the peer is not a compatible tsmpi rank`);
  return h;
}
