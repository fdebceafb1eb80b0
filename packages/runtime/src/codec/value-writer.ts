/**
 * Encoding side of the value codec (format: value-format.ts). One pass over
 * the value writes its structure; the bytes of every typed array, Buffer and
 * ArrayBuffer inside it become segments, sent as they are.
 *
 * What keeps a small value cheap (a round trip of `{a:1, b:'x', c:[1,2,3]}`
 * cost ~20 k instructions per message and rank in this codec before):
 * - The structure is written straight into a 64 KiB slab of the writer's own
 *   and, for a send, handed out as a view of it: no copy out of a scratch
 *   buffer, no new buffer per message (encodeValueToSend; encodeValue copies
 *   it out, for callers that keep or transfer the bytes).
 * - Plain objects and arrays are told apart first (`Array.isArray`, the
 *   prototype), before the instanceof chain the other kinds need.
 * - Cycles are found on the ancestors of the value being written, a short
 *   array scanned by hand; a Set is used only below SCAN_DEPTH levels.
 * - The path named in an error (`value.a[2].f`) is built only when an error
 *   is thrown: each container adds its step as the error passes through it.
 */
import { Buffer } from 'node:buffer';
import { ErrorCode, tsmpiError } from '../errors.js';
import { Encoding } from '../constants.js';
import { type TypedArray, typedArrayByCode, viewByteLength, viewCode } from './typed-arrays.js';
import { bytesOfBinary, isUint8, windows, WINDOW_BYTES } from './bytes.js';
import { align8, MAX_VALUE_DEPTH, putF64, putU32, SHORT_STRING, T, UTF16_FLAG } from './value-format.js';

/** The slab structures are written into; a new one when the current one is full. */
const STRUCT_SLAB_BYTES = 64 * 1024;
/** A structure that outgrows this moves to a buffer of its own, handed out with it. */
const STRUCT_IN_SLAB_MAX = 16 * 1024;
/**
 * Segments up to this size right after the structure are copied into the slab
 * behind it (one part): a same-kind typed-array copy, cheaper than the byte view
 * a separate part needs (view creation costs ~1.5 k instructions; the transport
 * copies a small payload into its frame anyway).
 */
const INLINE_SEGMENT_BYTES = 1024;
/** Ancestors up to this depth are checked for cycles by a scan, deeper ones through a Set. */
const SCAN_DEPTH = 16;

const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * A value that cannot travel, on its way up to encodeValue: each container it
 * passes adds its step, so the path is built only on error.
 */
class PathError extends Error {
  readonly steps: string[] = [];
  constructor(readonly before: string, readonly after: string) { super(before + after); }
}

const cannot = (before: string, after: string) => new PathError(before, after);

/** Add `step` to the path of an error passing through a container (any other error passes as it is). */
function through(err: unknown, step: string): unknown {
  if (err instanceof PathError) err.steps.push(step);
  return err;
}

class Writer {
  /** Where the structure is written: the slab, or (when it outgrew it) a buffer of its own. */
  buf: Buffer;
  slab: Buffer;
  slabUsed = 0;
  /** Where the current structure starts in `buf`, and where the next byte goes. */
  start = 0;
  pos = 0;
  /** The binary values met so far (typed arrays, Buffers, ArrayBuffers), their codes and byte lengths. */
  readonly segs: (ArrayBufferView | ArrayBuffer | undefined)[] = [];
  readonly segCodes: number[] = [];
  readonly segLens: number[] = [];
  nsegs = 0;
  segBytes = 0; // bytes of the segment area so far (aligned)
  /** Views of the slab as each typed-array kind (by encoding code), for inline segments. */
  slabViews: (TypedArray | undefined)[] = [];
  depth = 0;
  /** The structure may be handed out as a view of the slab (encodeValueToSend). */
  share = false;
  /** The containers being written, outermost first (cycle check; cleared on the way out). */
  readonly stack: (object | undefined)[] = [];
  /** Ancestors deeper than SCAN_DEPTH. */
  readonly deep = new Set<object>();

  /** The slab's ArrayBuffer (read once: a Buffer's `buffer` getter is a call into C++). */
  slabBuffer: ArrayBuffer;

  constructor() {
    this.slab = this.buf = Buffer.allocUnsafeSlow(STRUCT_SLAB_BYTES);
    this.slabBuffer = this.slab.buffer as ArrayBuffer;
  }

  begin(): void {
    this.buf = this.slab;
    this.start = this.slabUsed;
    this.pos = this.start + 4; // the structure's length goes first
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.start;
    let next: Buffer;
    if (this.buf === this.slab && used + n <= STRUCT_IN_SLAB_MAX) {
      // The slab is full: a new one, and the structure so far moves to its start.
      next = this.slab = Buffer.allocUnsafeSlow(STRUCT_SLAB_BYTES);
      this.slabBuffer = next.buffer as ArrayBuffer;
      this.slabViews = [];
      this.slabUsed = 0;
    } else {
      let size = Math.max(2 * STRUCT_IN_SLAB_MAX, this.buf.length - this.start);
      while (size < used + n) size *= 2;
      next = Buffer.allocUnsafeSlow(size);
    }
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  tag(t: number): void {
    this.ensure(1);
    this.buf[this.pos++] = t;
  }

  str(s: string): void {
    // Short ASCII strings (most keys and labels): byte by byte, cheaper than a call into the encoder.
    const len = s.length;
    if (len <= SHORT_STRING) {
      this.ensure(4 + len);
      const b = this.buf, at = this.pos + 4;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at + i] = c;
      }
      if (i === len) {
        putU32(b, this.pos, len);
        this.pos = at + len;
        return;
      }
    }
    if (!isWellFormed(s)) {
      // UTF-8 would turn unpaired surrogates into U+FFFD: send such a string as UTF-16 code units.
      const n = s.length * 2;
      this.ensure(4 + n);
      this.buf.write(s, this.pos + 4, n, 'utf16le');
      putU32(this.buf, this.pos, n + UTF16_FLAG);
      this.pos += 4 + n;
      return;
    }
    const max = s.length * 3;
    this.ensure(4 + max);
    const n = this.buf.write(s, this.pos + 4, max, 'utf8');
    putU32(this.buf, this.pos, n);
    this.pos += 4 + n;
  }

  /** A container's tag and count. */
  head(t: number, n: number): void {
    this.ensure(5);
    const b = this.buf, at = this.pos;
    b[at] = t;
    putU32(b, at + 1, n);
    this.pos = at + 5;
  }

  /** A binary value's bytes become the next segment; returns its offset in the segment area. */
  segment(src: ArrayBufferView | ArrayBuffer, code: number, byteLength: number): number {
    const off = this.segBytes, i = this.nsegs++;
    this.segs[i] = src;
    this.segCodes[i] = code;
    this.segLens[i] = byteLength;
    this.segBytes = align8(off + byteLength);
    return off;
  }

  /** Entering a container: fails on a cycle (the container is its own ancestor) and on too deep a value. */
  enter(obj: object): void {
    const d = this.depth, s = this.stack;
    if (d >= MAX_VALUE_DEPTH) {
      throw cannot(`cannot send a value nested deeper than ${MAX_VALUE_DEPTH} levels (at `, '): flatten it, or send its parts in several messages');
    }
    const scan = d < SCAN_DEPTH ? d : SCAN_DEPTH;
    for (let i = 0; i < scan; i++) if (s[i] === obj) throw cycle();
    if (d >= SCAN_DEPTH) {
      if (this.deep.has(obj)) throw cycle();
      this.deep.add(obj);
    }
    s[d] = obj;
    this.depth = d + 1;
  }

  leave(): void {
    const d = --this.depth;
    if (d >= SCAN_DEPTH) this.deep.delete(this.stack[d]!);
    this.stack[d] = undefined;
  }

  /** The encoded value: the structure as a view of where it was written, then the segments. */
  finish(): EncodedValue {
    const structLen = this.pos - this.start;
    putU32(this.buf, this.start, structLen);
    const n = this.nsegs;
    if (n === 0) return { enc: Encoding.VALUE, parts: [this.claim(structLen)], byteLength: structLen };
    // The padding up to the first segment goes out with the structure, and so do the small
    // segments that follow it (copied in behind it).
    const padded = align8(structLen);
    let k = 0, room = padded - structLen;
    while (k < n && this.segLens[k]! <= INLINE_SEGMENT_BYTES && room + this.segLens[k]! <= INLINE_SEGMENT_BYTES) room += align8(this.segLens[k++]!);
    this.ensure(room);
    if (this.buf !== this.slab) k = 0; // outgrew the slab: no typed views of this buffer
    const b = this.buf;
    let at = this.start + padded;
    for (let i = this.pos; i < at; i++) b[i] = 0; // zeroed: the slab is not
    for (let i = 0; i < k; i++) {
      const len = this.segLens[i]!;
      this.copyIn(this.segs[i]!, this.segCodes[i]!, at);
      const end = align8(at + len);
      for (let j = at + len; j < end; j++) b[j] = 0;
      at = end;
    }
    let total = at - this.start;
    const parts: Uint8Array[] = [this.claim(total)];
    for (let i = k; i < n; i++) {
      const seg = bytesOfBinary(this.segs[i]!);
      if (seg.byteLength <= WINDOW_BYTES) parts.push(isUint8(seg) ? seg : new Uint8Array(seg.buffer, seg.byteOffset, seg.byteLength));
      else for (const win of windows(seg)) parts.push(win);
      total += seg.byteLength;
      const p = align8(total) - total;
      if (p) { parts.push(PADS[p]!); total += p; }
    }
    return { enc: Encoding.VALUE, parts, byteLength: total };
  }

  /** Copy a binary value's bytes into the slab at `at` (8-byte aligned) through a view of the same kind. */
  private copyIn(src: ArrayBufferView | ArrayBuffer, code: number, at: number): void {
    if (code === Encoding.UINT8 || code === Encoding.BUFFER) { this.slab.set(src as Uint8Array, at); return; }
    if (code === Encoding.ARRAY_BUFFER) { this.slab.set(new Uint8Array(src as ArrayBuffer), at); return; }
    const Ctor = typedArrayByCode[code]!;
    const view = this.slabViews[code] ??= new Ctor(this.slabBuffer, 0, STRUCT_SLAB_BYTES / Ctor.BYTES_PER_ELEMENT);
    (view as Float64Array).set(src as Float64Array, at / Ctor.BYTES_PER_ELEMENT);
  }

  /** The first `n` bytes of the structure (from `start`), which are the caller's from now on. */
  private claim(n: number): Uint8Array {
    if (this.buf !== this.slab) return new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.start, n);
    if (!this.share) {
      // Bytes of the caller's own, which it may keep or transfer to a worker (the pool does): a copy in
      // an ArrayBuffer of its own. Not from Node's buffer pool: the pool is untransferable, which Node 20
      // answers by copying all 8 KiB of it and Node 22 by throwing DataCloneError.
      const own = Buffer.allocUnsafeSlow(n);
      this.slab.copy(own, 0, this.start, this.start + n);
      return own;
    }
    const part = new Uint8Array(this.slabBuffer, this.start, n);
    // The next structure starts 8-byte aligned, so typed views of the slab reach its segments.
    this.slabUsed = align8(this.start + n);
    return part;
  }

  /** Ready for the next value (also after a failure). */
  reset(): void {
    this.buf = this.slab;
    if (this.nsegs > 0) {
      for (let i = 0; i < this.nsegs; i++) this.segs[i] = undefined; // (fill() is a call into C++)
      this.nsegs = 0;
    }
    this.segBytes = 0;
    if (this.depth > 0) {
      for (let i = 0; i < this.depth; i++) this.stack[i] = undefined;
      this.deep.clear();
      this.depth = 0;
    }
  }
}

const cycle = () => cannot('cannot send a value with a cycle (at ', '): the object contains itself; break the cycle or send ids instead');

/** Zero padding of 0..7 bytes, made once. */
const PADS = Array.from({ length: 8 }, (_, n) => new Uint8Array(n));

function writeValue(w: Writer, v: unknown): void {
  // `typeof v === '...'` tests, not a switch on typeof: the optimizing compiler turns each into a type check.
  if (typeof v === 'number') {
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      w.ensure(5);
      const b = w.buf, at = w.pos;
      b[at] = T.INT32;
      putU32(b, at + 1, v);
      w.pos = at + 5;
    } else {
      w.ensure(9);
      const b = w.buf, at = w.pos;
      b[at] = T.FLOAT64;
      putF64(b, at + 1, v);
      w.pos = at + 9;
    }
  } else if (typeof v === 'string') {
    w.tag(T.STRING);
    w.str(v);
  } else if (typeof v === 'object') {
    if (v === null) w.tag(T.NULL);
    else writeObject(w, v);
  } else if (typeof v === 'boolean') {
    w.tag(v ? T.TRUE : T.FALSE);
  } else if (typeof v === 'undefined') {
    w.tag(T.UNDEFINED);
  } else if (typeof v === 'bigint') {
    w.tag(T.BIGINT);
    w.str(v.toString(16));
  } else if (typeof v === 'function') {
    throw cannot('cannot send a function (at ', '): functions do not travel between processes; send data, or name an exported function by its module and export name');
  } else {
    throw cannot('cannot send a symbol (at ', '): use a string instead');
  }
}

function writeObject(w: Writer, obj: object): void {
  if (Array.isArray(obj)) return writeArray(w, obj);
  if (ArrayBuffer.isView(obj)) return writeView(w, obj);
  const proto = Object.getPrototypeOf(obj);
  if (proto === Object.prototype || proto === null) return writePlain(w, obj);
  return writeOther(w, obj);
}

/** A typed array or Buffer: its bytes become a segment. */
function writeView(w: Writer, view: ArrayBufferView): void {
  const code = viewCode(view);
  if (code === undefined) {
    throw cannot(`cannot send a ${view.constructor.name} (at `, '): send the typed array or ArrayBuffer it views');
  }
  writeBinary(w, view, code, viewByteLength(view, code));
}

function writeBinary(w: Writer, src: ArrayBufferView | ArrayBuffer, code: number, byteLength: number): void {
  const off = w.segment(src, code, byteLength);
  w.ensure(18);
  const b = w.buf, at = w.pos;
  b[at] = T.BINARY;
  b[at + 1] = code;
  putF64(b, at + 2, off);
  putF64(b, at + 10, byteLength);
  w.pos = at + 18;
}

function writeArray(w: Writer, a: unknown[]): void {
  w.enter(a);
  const n = a.length;
  w.head(T.ARRAY, n);
  let i = 0;
  try {
    for (; i < n; i++) {
      const x = a[i];
      if (x === undefined && !(i in a)) w.tag(T.HOLE);
      else writeValue(w, x);
    }
  } catch (err) {
    throw through(err, `[${i}]`);
  }
  w.leave();
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A plain object. `for...in` with an own-property test, not Object.keys:
 * V8 then reads each field through the object's enum cache (no key array,
 * no megamorphic keyed load per field). The count is patched in after.
 */
function writePlain(w: Writer, obj: object): void {
  w.enter(obj);
  w.head(T.OBJECT, 0);
  const countAt = w.pos - 4 - w.start; // from the structure's start: it may move to a new slab
  let n = 0, key = '';
  try {
    for (const k in obj) {
      if (!hasOwn.call(obj, k)) continue;
      key = k;
      w.str(k);
      writeValue(w, (obj as Record<string, unknown>)[k]);
      n++;
    }
  } catch (err) {
    throw through(err, `.${key}`);
  }
  putU32(w.buf, w.start + countAt, n);
  w.leave();
}

/** Any other object as its own enumerable string-keyed fields. */
function writeFields(w: Writer, obj: object): void {
  w.enter(obj);
  const keys = Object.keys(obj);
  const n = keys.length;
  w.head(T.OBJECT, n);
  let i = 0;
  try {
    for (; i < n; i++) {
      const k = keys[i]!;
      w.str(k);
      writeValue(w, (obj as Record<string, unknown>)[k]);
    }
  } catch (err) {
    throw through(err, `.${keys[i]}`);
  }
  w.leave();
}

/** Everything but plain objects, arrays and views: ArrayBuffer, Map, Set, Date, Error, class instances. */
function writeOther(w: Writer, obj: object): void {
  if (obj instanceof ArrayBuffer) return writeBinary(w, obj, Encoding.ARRAY_BUFFER, obj.byteLength);
  if (obj instanceof Map) {
    w.enter(obj);
    w.head(T.MAP, obj.size);
    let i = 0, step = '';
    try {
      for (const [k, val] of obj) {
        step = `.<key ${i}>`; writeValue(w, k);
        step = '.get(...)'; writeValue(w, val);
        i++;
      }
    } catch (err) {
      throw through(err, step);
    }
    w.leave();
  } else if (obj instanceof Set) {
    w.enter(obj);
    w.head(T.SET, obj.size);
    try {
      for (const val of obj) writeValue(w, val);
    } catch (err) {
      throw through(err, '.<item>');
    }
    w.leave();
  } else if (obj instanceof Date) {
    w.ensure(9);
    w.buf[w.pos] = T.DATE;
    putF64(w.buf, w.pos + 1, obj.getTime());
    w.pos += 9;
  } else if (obj instanceof Error) {
    w.tag(T.ERROR); w.str(obj.name); w.str(obj.message); w.str(obj.stack ?? '');
    const code = (obj as { code?: unknown }).code;
    writeValue(w, typeof code === 'string' || typeof code === 'number' ? code : undefined);
  } else if (obj instanceof Promise || obj instanceof WeakMap || obj instanceof WeakSet) {
    throw cannot(`cannot send a ${obj.constructor.name} (at `, '): await it or send its data');
  } else {
    writeFields(w, obj);
  }
}

/** An encoded value: `parts` to write in order, `byteLength` in all (`enc`: Encoding.VALUE, for the frame header). */
export interface EncodedValue { enc: number; parts: Uint8Array[]; byteLength: number }

/** `value.a[2].f` from the steps an error collected on its way out (innermost first); a long path is cut in the middle. */
function pathOf(steps: string[]): string {
  const outward = steps.reverse();
  if (outward.length <= 64) return 'value' + outward.join('');
  return 'value' + outward.slice(0, 16).join('') + '...' + outward.slice(-16).join('');
}

/** The writer in use, or (while one encodes) undefined: a value encoded meanwhile (by a getter) gets its own. */
let shared: Writer | undefined;

/**
 * Encode a value; its parts are the caller's to keep, modify or transfer
 * (used by the collectives and the pool).
 */
export function encodeValue(value: unknown): EncodedValue {
  return encode(value, false);
}

/**
 * Encode a value for a send that copies or writes its parts and then lets
 * them go: the structure is a view of the writer's slab, shared with other
 * messages (never to be transferred to a worker or written to). Saves a new
 * buffer and a copy per message.
 */
export function encodeValueToSend(value: unknown): EncodedValue {
  return encode(value, true);
}

function encode(value: unknown, share: boolean): EncodedValue {
  const w = shared ?? new Writer();
  shared = undefined;
  try {
    w.share = share;
    w.begin();
    writeValue(w, value);
    return w.finish();
  } catch (err) {
    if (err instanceof PathError) throw tsmpiError(ErrorCode.VALUE, err.before + pathOf(err.steps) + err.after);
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw tsmpiError(ErrorCode.VALUE, 'cannot send this value: it is nested too deeply for the stack; flatten it, or send its parts in several messages', err);
    }
    throw err;
  } finally {
    w.reset();
    shared = w;
  }
}
