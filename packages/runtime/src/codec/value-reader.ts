/**
 * Decoding side of the value codec (format: value-format.ts). Reads the
 * structure straight from the payload's bytes (no Buffer view unless a string
 * needs Node's UTF-8 or UTF-16 decoder); typed arrays come back as views of
 * their segments where the payload is the program's to keep.
 */
import { Buffer } from 'node:buffer';
import { ErrorCode, tsmpiError } from '../errors.js';
import { MAX_BUFFER_BYTES } from '../constants.js';
import { viewIn } from './typed-arrays.js';
import { type Bytes, bufferOf, isSlab, isUint8, offsetOf } from './bytes.js';
import { asciiString } from './ascii-strings.js';
import { factoryOf, MAX_SHAPE_KEYS, MIN_SHAPE_KEYS, noteShape, shapeFor } from './object-shapes.js';
import { align8, getF64, getI32, getU32, MAX_VALUE_DEPTH, SHORT_STRING, T, UTF16_FLAG } from './value-format.js';

class Reader {
  pos = 4;
  depth = 0;
  /** The payload's bytes (all of it up to MAX_BUFFER_BYTES; the structure always lies within). */
  readonly b: Uint8Array;
  readonly end: number;
  readonly segBase: number;
  /** The payload's length, and (read at the first binary value: getters that call into C++) its buffer. */
  readonly byteLength: number;
  buffer: ArrayBufferLike | undefined;
  /** True when the payload lies in a shared slab (typed arrays are then copied out). */
  own: boolean | undefined;
  /** A Buffer over `b`, made for the first string Node's decoder must read. */
  private text: Buffer | undefined;

  constructor(readonly bytes: Bytes) {
    // `length`, not `byteLength`: inlined by V8, where `byteLength` is a call (the same for a Uint8Array).
    const b = isUint8(bytes) ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_BUFFER_BYTES));
    this.b = b;
    this.end = b.length;
    this.byteLength = b === bytes ? b.length : bytes.byteLength;
    if (this.end < 4) throw corrupt('payload shorter than its length field');
    const structLen = getU32(this.b, 0);
    if (structLen > this.byteLength || structLen < 5) throw corrupt('structure length out of range');
    this.segBase = align8(structLen);
  }

  need(n: number): void { if (this.pos + n > this.end) throw corrupt('value runs past the end of the payload'); }
  u8(): number { this.need(1); return this.b[this.pos++]!; }
  u32(): number { this.need(4); const v = getU32(this.b, this.pos); this.pos += 4; return v; }
  f64(): number { this.need(8); const v = getF64(this.b, this.pos); this.pos += 8; return v; }

  str(): string {
    const raw = this.u32();
    const wide = raw >= UTF16_FLAG;
    const n = wide ? raw - UTF16_FLAG : raw;
    this.need(n);
    const at = this.pos;
    if (!wide && n <= SHORT_STRING) {
      // Short ASCII (the usual key): decoded here, cheaper than a call into the decoder.
      const s = asciiString(this.b, at, n);
      if (s !== undefined) { this.pos = at + n; return s; }
    }
    const t = this.text ??= Buffer.from(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    this.pos = at + n;
    return t.toString(wide ? 'utf16le' : 'utf8', at, at + n);
  }

  /** Into a container: a payload nested deeper than any sender writes is corrupt (and would overflow the stack). */
  enter(): void {
    if (++this.depth > MAX_VALUE_DEPTH) throw corrupt(`value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
}

function corrupt(what: string) {
  return tsmpiError(ErrorCode.PROTOCOL, `corrupt value payload: ${what}. The sender is not a compatible tsmpi rank`);
}

const HOLE = Symbol('hole');

function readValue(r: Reader): unknown {
  const tag = r.u8();
  switch (tag) {
    case T.INT32: { r.need(4); const v = getI32(r.b, r.pos); r.pos += 4; return v; }
    case T.STRING: return r.str();
    case T.OBJECT: {
      const n = r.u32();
      r.enter();
      const o = n === 0 ? {} : readObject(r, n);
      r.depth--;
      return o;
    }
    case T.ARRAY: {
      const n = r.u32();
      if (n > r.end - r.pos) throw corrupt('array length larger than the payload');
      r.enter();
      const a: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) { const x = readValue(r); if (x !== HOLE) a[i] = x; }
      r.depth--;
      return a;
    }
    case T.FLOAT64: return r.f64();
    case T.NULL: return null;
    case T.UNDEFINED: return undefined;
    case T.FALSE: return false;
    case T.TRUE: return true;
    case T.HOLE: return HOLE;
    case T.BINARY: {
      const code = r.u8(); const off = r.f64(); const len = r.f64();
      const abs = r.segBase + off;
      if (!(abs >= 0 && len >= 0 && abs + len <= r.byteLength)) throw corrupt('binary segment out of range');
      const buffer = r.buffer ??= bufferOf(r.bytes);
      const v = viewIn(code, buffer, offsetOf(r.bytes) + abs, len, r.own ??= isSlab(buffer));
      if (v === undefined) throw corrupt(`unknown binary kind ${code}`);
      return v;
    }
    case T.BIGINT: {
      const s = r.str();
      if (!/^-?[0-9a-f]+$/.test(s)) throw corrupt('bigint digits are not hexadecimal');
      return s.startsWith('-') ? -BigInt('0x' + s.slice(1)) : BigInt('0x' + s);
    }
    case T.MAP: {
      const n = r.u32();
      r.enter();
      const m = new Map();
      for (let i = 0; i < n; i++) { const k = readValue(r); m.set(k, readValue(r)); }
      r.depth--;
      return m;
    }
    case T.SET: {
      const n = r.u32();
      r.enter();
      const s = new Set();
      for (let i = 0; i < n; i++) s.add(readValue(r));
      r.depth--;
      return s;
    }
    case T.DATE: return new Date(r.f64());
    case T.ERROR: {
      const name = r.str(), message = r.str(), stack = r.str();
      // The sender writes a code only as a string or a number (value-writer.ts).
      r.need(1);
      const t = r.b[r.pos];
      if (t !== T.STRING && t !== T.INT32 && t !== T.FLOAT64 && t !== T.UNDEFINED) throw corrupt('error code is not a string or a number');
      const code = readValue(r);
      const e = new Error(message);
      e.name = name;
      e.stack = stack || `${name}: ${message}`;
      if (code !== undefined) (e as Error & { code?: unknown }).code = code;
      return e;
    }
    default: throw corrupt(`unknown value tag ${tag}`);
  }
}

/**
 * The values of the objects being read through a shape, each object's above
 * its container's (`sp`: the first free slot); cleared after use, the values
 * being the program's. Decoding runs no program code, so it never re-enters.
 */
const vals: unknown[] = new Array<unknown>(64).fill(undefined);
let sp = 0;

/**
 * A plain object of `n` (> 0) entries. When its first key and size match a key
 * set met before (object-shapes.ts), the values go to the scratch as long as the
 * keys follow that set, and the object is built at once by the set's literal;
 * else (or from the first key that differs) field by field.
 */
function readObject(r: Reader, n: number): Record<string, unknown> {
  const first = r.str();
  const shaped = n >= MIN_SHAPE_KEYS && n <= MAX_SHAPE_KEYS;
  const s = shaped ? shapeFor(first, n) : undefined;
  if (s === undefined) {
    const o: Record<string, unknown> = {};
    setField(o, first, readValue(r));
    if (shaped) {
      const keys = [first];
      for (let i = 1; i < n; i++) { const k = r.str(); keys.push(k); setField(o, k, readValue(r)); }
      noteShape(keys);
    } else {
      for (let i = 1; i < n; i++) { const k = r.str(); setField(o, k, readValue(r)); }
    }
    return o;
  }
  const keys = s.keys, at = sp, top = at + n;
  while (vals.length < top) vals.push(undefined);
  sp = top;
  vals[at] = readValue(r);
  let i = 1;
  let k = '';
  for (; i < n; i++) {
    k = r.str();
    if (k !== keys[i]) break;
    vals[at + i] = readValue(r);
  }
  sp = at;
  let o: Record<string, unknown>;
  const make = i === n ? factoryOf(s) : undefined;
  if (make !== undefined) {
    o = make(vals, at);
  } else {
    o = {};
    for (let j = 0; j < i; j++) setField(o, keys[j]!, vals[at + j]);
    if (i < n) {
      // Another key set with the same start: the rest field by field.
      setField(o, k, readValue(r));
      for (let j = i + 1; j < n; j++) { const kj = r.str(); setField(o, kj, readValue(r)); }
    }
  }
  for (let j = at; j < top; j++) vals[j] = undefined;
  return o;
}

function setField(o: Record<string, unknown>, k: string, x: unknown): void {
  // `o.__proto__ = x` would set the prototype: an own `__proto__` key stays data.
  if (k === '__proto__') Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
  else o[k] = x;
}

export function decodeValue(payload: Bytes): unknown {
  try {
    return readValue(new Reader(payload));
  } catch (err) {
    // A corrupt payload may leave values of objects read halfway in the scratch.
    for (let j = 0; j < vals.length; j++) vals[j] = undefined;
    sp = 0;
    throw err;
  }
}
