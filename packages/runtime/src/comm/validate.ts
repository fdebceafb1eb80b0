/** Argument checks shared by every communicator call; each error says what to do. */
import { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { binaryCode } from '../codec/typed-arrays.js';
import { type Bytes, bytesOfBinary } from '../codec/bytes.js';

export function checkDest(dest: unknown, size: number, what = 'destination'): number {
  if (dest === PROC_NULL) return PROC_NULL;
  if (typeof dest !== 'number' || !Number.isInteger(dest) || dest < 0 || dest >= size) {
    throw tsmpiError(ErrorCode.RANK, `invalid ${what} rank ${String(dest)}: ranks of this communicator are 0..${size - 1} (or PROC_NULL)`);
  }
  return dest;
}

export function checkSource(source: unknown, size: number): number {
  if (source === ANY_SOURCE) return ANY_SOURCE;
  return checkDest(source, size, 'source');
}

export function checkTag(tag: unknown, allowAny: boolean): number {
  if (allowAny && tag === ANY_TAG) return ANY_TAG;
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > TAG_UB) {
    throw tsmpiError(ErrorCode.TAG, `invalid tag ${String(tag)}: tags are integers 0..${TAG_UB}${allowAny ? ' (or ANY_TAG to receive any)' : ''}`);
  }
  return tag;
}

/** Throws unless `buf` is a buffer argument (typed array, Buffer, ArrayBuffer). */
export function checkBinary(buf: unknown, what = 'buffer'): void {
  if (binaryCode(buf) === undefined && !(ArrayBuffer.isView(buf) && !(buf instanceof DataView))) {
    throw tsmpiError(ErrorCode.BUFFER, `${what} must be a typed array (e.g. Float64Array), Buffer or ArrayBuffer, got ${describe(buf)}; use send()/recv() for other values`);
  }
}

/** The byte view of a buffer argument (typed array, Buffer, ArrayBuffer). */
export function checkBuffer(buf: unknown, what = 'buffer'): Bytes {
  checkBinary(buf, what);
  return bytesOfBinary(buf as ArrayBufferView);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
