/**
 * The structured value codec: any value tsmpi can send becomes a small
 * "structure" section plus out-of-band binary segments (the bytes of every
 * typed array, Buffer and ArrayBuffer inside the value), each at an 8-byte
 * aligned offset so the receiver views them in place without a copy.
 *
 * Why not msgpackr for values: its default `pack()` corrupts typed arrays,
 * and it loses -0, the Map/object and Set/array distinctions, small bigints
 * and Uint8Array vs Buffer. This codec keeps every one of them; msgpackr still
 * encodes the frame header (wire/frame.ts).
 *
 * Layout of a payload: [structure][pad to 8][segment 0][pad][segment 1]...
 * The structure starts with its own length (u32), so the payload is self-contained.
 */
import { ErrorCode, tsmpiError } from '../errors.js';
import { binaryCode, viewAs } from './typed-arrays.js';
import { type Bytes, bytesOfBinary, isUint8, windows, WINDOW_BYTES } from './bytes.js';
import { MAX_BUFFER_BYTES } from '../constants.js';

const T = {
  NULL: 0, UNDEFINED: 1, FALSE: 2, TRUE: 3, INT32: 4, FLOAT64: 5, BIGINT: 6, STRING: 7,
  ARRAY: 8, OBJECT: 9, MAP: 10, SET: 11, DATE: 12, BINARY: 13, ERROR: 14, HOLE: 15,
} as const;

// Not `(n + 7) & ~7`: bitwise operators wrap at 2^31, and values may hold gigabytes.
const align8 = (n: number) => Math.ceil(n / 8) * 8;
/** Top bit of a string's byte length: the bytes are UTF-16LE, not UTF-8 (a string with lone surrogates). */
const UTF16_FLAG = 0x80000000;
/** Strings up to this length are tried as ASCII by hand before the UTF-8 codec. */
const SHORT_STRING = 32;
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

class Writer {
  buf: Buffer = Buffer.allocUnsafe(256);
  pos = 0;
  segments: Bytes[] = [];
  segBytes = 0; // bytes of the segment area so far (aligned)
  seen = new Set<object>();
  /**
   * Where the writer is inside the value, for error messages only: array
   * indices, property names, and (prefixed with \0) ready-made steps.
   */
  keys: (string | number)[] = [];

  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number) { this.ensure(1); this.buf[this.pos++] = v; }
  u32(v: number) { this.ensure(4); this.buf.writeUInt32LE(v, this.pos); this.pos += 4; }
  f64(v: number) { this.ensure(8); this.buf.writeDoubleLE(v, this.pos); this.pos += 8; }
  str(s: string) {
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
        b.writeUInt32LE(len, this.pos);
        this.pos = at + len;
        return;
      }
    }
    if (!isWellFormed(s)) {
      // UTF-8 would turn unpaired surrogates into U+FFFD: send such a string as UTF-16 code units.
      const n = s.length * 2;
      this.ensure(4 + n);
      this.buf.write(s, this.pos + 4, n, 'utf16le');
      this.buf.writeUInt32LE(n + UTF16_FLAG, this.pos);
      this.pos += 4 + n;
      return;
    }
    const max = s.length * 3;
    this.ensure(4 + max);
    const n = this.buf.write(s, this.pos + 4, max, 'utf8');
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4 + n;
  }
  segment(bytes: Bytes) {
    const off = this.segBytes;
    this.segments.push(bytes);
    this.segBytes = align8(off + bytes.byteLength);
    return off;
  }
}

/** `value.a[3].b`: the path of the value being written (built only for an error message). */
function pathOf(w: Writer): string {
  let p = 'value';
  for (const k of w.keys) p += typeof k === 'number' ? `[${k}]` : k.startsWith('\0') ? k.slice(1) : `.${k}`;
  return p;
}

/** Write `v` as the element `key` of what is being written (`key` undefined: the value itself). */
function writeAt(w: Writer, v: unknown, key: string | number): void {
  w.keys.push(key);
  writeValue(w, v);
  w.keys.pop();
}

function writeValue(w: Writer, v: unknown): void {
  switch (typeof v) {
    case 'undefined': return w.u8(T.UNDEFINED);
    case 'boolean': return w.u8(v ? T.TRUE : T.FALSE);
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) { w.u8(T.INT32); w.ensure(4); w.buf.writeInt32LE(v, w.pos); w.pos += 4; return; }
      w.u8(T.FLOAT64); return w.f64(v);
    case 'bigint': w.u8(T.BIGINT); return w.str(v.toString(16));
    case 'string': w.u8(T.STRING); return w.str(v);
    case 'function':
      throw tsmpiError(ErrorCode.VALUE, `cannot send a function (at ${pathOf(w)}): functions do not travel between processes; send data, or name an exported function by its module and export name`);
    case 'symbol':
      throw tsmpiError(ErrorCode.VALUE, `cannot send a symbol (at ${pathOf(w)}): use a string instead`);
  }
  if (v === null) return w.u8(T.NULL);
  const obj = v as object;
  const code = binaryCode(obj);
  if (code !== undefined) {
    const off = w.segment(bytesOfBinary(obj as ArrayBufferView | ArrayBuffer));
    w.u8(T.BINARY); w.u8(code); w.f64(off); return w.f64((obj as ArrayBuffer).byteLength);
  }
  if (ArrayBuffer.isView(obj)) {
    throw tsmpiError(ErrorCode.VALUE, `cannot send a ${obj.constructor.name} (at ${pathOf(w)}): send the typed array or ArrayBuffer it views`);
  }
  if (w.seen.has(obj)) {
    throw tsmpiError(ErrorCode.VALUE, `cannot send a value with a cycle (at ${pathOf(w)}): the object contains itself; break the cycle or send ids instead`);
  }
  w.seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      w.u8(T.ARRAY); w.u32(obj.length);
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) w.u8(T.HOLE); else writeAt(w, obj[i], i);
      }
    } else if (obj instanceof Map) {
      w.u8(T.MAP); w.u32(obj.size);
      let i = 0;
      for (const [k, val] of obj) { writeAt(w, k, `\0.<key ${i}>`); writeAt(w, val, '\0.get(...)'); i++; }
    } else if (obj instanceof Set) {
      w.u8(T.SET); w.u32(obj.size);
      for (const val of obj) writeAt(w, val, '\0.<item>');
    } else if (obj instanceof Date) {
      w.u8(T.DATE); w.f64(obj.getTime());
    } else if (obj instanceof Error) {
      w.u8(T.ERROR); w.str(obj.name); w.str(obj.message); w.str(obj.stack ?? '');
      const code = (obj as { code?: unknown }).code;
      writeAt(w, typeof code === 'string' || typeof code === 'number' ? code : undefined, 'code');
    } else if (obj instanceof Promise || obj instanceof WeakMap || obj instanceof WeakSet) {
      throw tsmpiError(ErrorCode.VALUE, `cannot send a ${obj.constructor.name} (at ${pathOf(w)}): await it or send its data`);
    } else {
      const keys = Object.keys(obj);
      w.u8(T.OBJECT); w.u32(keys.length);
      for (const k of keys) { w.str(k); writeAt(w, (obj as Record<string, unknown>)[k], k); }
    }
  } finally {
    w.seen.delete(obj);
  }
}

/** An encoded value: `parts` to write in order, `byteLength` in all. */
export interface EncodedValue { parts: Uint8Array[]; byteLength: number }

/** Zero padding of 0..7 bytes, made once. */
const PADS = Array.from({ length: 8 }, (_, n) => new Uint8Array(n));
let shared: Writer | undefined;

export function encodeValue(value: unknown): EncodedValue {
  // Reuse one writer's scratch buffer; the structure bytes are copied out.
  const w = shared ?? new Writer();
  shared = undefined;
  w.pos = 4; w.segments = []; w.segBytes = 0;
  try {
    writeValue(w, value);
    const structLen = w.pos;
    w.buf.writeUInt32LE(structLen, 0);
    // From Node's buffer pool: a small new ArrayBuffer costs ten times more, and the structure never escapes.
    const struct = Buffer.allocUnsafe(structLen);
    w.buf.copy(struct, 0, 0, structLen);
    const parts: Uint8Array[] = [struct];
    let total = structLen;
    if (w.segments.length > 0) {
      const pad = align8(structLen) - structLen;
      if (pad) parts.push(PADS[pad]!);
      total += pad;
      for (const seg of w.segments) {
        if (seg.byteLength <= WINDOW_BYTES) parts.push(isUint8(seg) ? seg : new Uint8Array(seg.buffer, seg.byteOffset, seg.byteLength));
        else for (const win of windows(seg)) parts.push(win);
        total += seg.byteLength;
        const p = align8(total) - total;
        if (p) { parts.push(PADS[p]!); total += p; }
      }
    }
    return { parts, byteLength: total };
  } finally {
    w.seen.clear(); w.segments = []; w.keys.length = 0;
    if (w.buf.length > 1 << 20) w.buf = Buffer.allocUnsafe(256);
    shared = w;
  }
}

class Reader {
  pos = 4;
  /** The structure section's bytes (all of the payload up to 4 GiB; the structure always lies within). */
  readonly view: Buffer;
  readonly segBase: number;
  constructor(readonly bytes: Bytes) {
    this.view = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_BUFFER_BYTES));
    if (bytes.byteLength < 4) throw corrupt('payload shorter than its length field');
    const structLen = this.view.readUInt32LE(0);
    if (structLen > bytes.byteLength || structLen < 5) throw corrupt('structure length out of range');
    this.segBase = align8(structLen);
  }
  need(n: number) { if (this.pos + n > this.view.length) throw corrupt('value runs past the end of the payload'); }
  u8() { this.need(1); return this.view[this.pos++]!; }
  u32() { this.need(4); const v = this.view.readUInt32LE(this.pos); this.pos += 4; return v; }
  f64() { this.need(8); const v = this.view.readDoubleLE(this.pos); this.pos += 8; return v; }
  str() {
    const raw = this.u32();
    const wide = raw >= UTF16_FLAG;
    const n = wide ? raw - UTF16_FLAG : raw;
    this.need(n);
    if (!wide && n <= SHORT_STRING) {
      // Short ASCII (the usual key): decoded here, cheaper than a call into the decoder.
      const b = this.view, at = this.pos;
      let s = '';
      let i = 0;
      for (; i < n; i++) {
        const c = b[at + i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === n) { this.pos += n; return s; }
    }
    const s = this.view.toString(wide ? 'utf16le' : 'utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

function corrupt(what: string) {
  return tsmpiError(ErrorCode.PROTOCOL, `corrupt value payload: ${what}. The sender is not a compatible tsmpi rank`);
}

const HOLE = Symbol('hole');

function readValue(r: Reader): unknown {
  const tag = r.u8();
  switch (tag) {
    case T.NULL: return null;
    case T.UNDEFINED: return undefined;
    case T.FALSE: return false;
    case T.TRUE: return true;
    case T.INT32: { r.need(4); const v = r.view.readInt32LE(r.pos); r.pos += 4; return v; }
    case T.FLOAT64: return r.f64();
    case T.BIGINT: {
      const s = r.str();
      if (!/^-?[0-9a-f]+$/.test(s)) throw corrupt('bigint digits are not hexadecimal');
      return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s);
    }
    case T.STRING: return r.str();
    case T.HOLE: return HOLE;
    case T.ARRAY: {
      const n = r.u32();
      if (n > r.view.length - r.pos) throw corrupt('array length larger than the payload');
      const a: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) { const x = readValue(r); if (x !== HOLE) a[i] = x; }
      return a;
    }
    case T.OBJECT: {
      const n = r.u32();
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = r.str();
        const x = readValue(r);
        if (k === '__proto__') Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
        else o[k] = x;
      }
      return o;
    }
    case T.MAP: { const n = r.u32(); const m = new Map(); for (let i = 0; i < n; i++) { const k = readValue(r); m.set(k, readValue(r)); } return m; }
    case T.SET: { const n = r.u32(); const s = new Set(); for (let i = 0; i < n; i++) s.add(readValue(r)); return s; }
    case T.DATE: return new Date(r.f64());
    case T.ERROR: {
      const name = r.str(), message = r.str(), stack = r.str();
      const code = readValue(r);
      const e = new Error(message);
      e.name = name;
      e.stack = stack || `${name}: ${message}`;
      if (code !== undefined) (e as Error & { code?: unknown }).code = code;
      return e;
    }
    case T.BINARY: {
      const code = r.u8(); const off = r.f64(); const len = r.f64();
      const abs = r.segBase + off;
      if (!(abs >= 0 && len >= 0 && abs + len <= r.bytes.byteLength)) throw corrupt('binary segment out of range');
      const v = viewAs(code, r.bytes, abs, len);
      if (v === undefined) throw corrupt(`unknown binary kind ${code}`);
      return v;
    }
    default: throw corrupt(`unknown value tag ${tag}`);
  }
}

export function decodeValue(payload: Bytes): unknown {
  return readValue(new Reader(payload));
}
