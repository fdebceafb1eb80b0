/**
 * The pool's messages. Arguments and results are encoded one task at a time
 * (with tsmpi's value codec, so they keep their exact types and a value that
 * cannot travel fails only its own task), then packed into batches: many
 * tasks per message to a worker, many results per message back. A batch is
 * two byte arrays, a table of numbers and the blobs laid end to end (each at
 * an 8-byte boundary, so typed arrays inside decode in place): a message of a
 * few large parts instead of hundreds of small ones, which is what keeps the
 * per-task cost of tiny tasks low.
 */
import { decodeValue, encodeValue } from '@tsmpi/runtime';
import type { Kind } from './constants.js';

/** A task reference sent once per worker: `[index, module URL, export name]`. */
export type RefEntry = [idx: number, module: string, name: string];

/** Per task: id, reference index, Mode, argument bytes. */
export const TASK_FIELDS = 4;
/** Per result: id, 1 = value / 0 = thrown, run time in µs, ResultFlag bits, value bytes. */
export const RESULT_FIELDS = 5;

export type ToWorker = [typeof Kind.TASKS, RefEntry[], Float64Array, Uint8Array] | [typeof Kind.STOP];
export type ToRoot = [typeof Kind.RESULTS, Float64Array, Uint8Array];

/** One value as one byte array (throws TSMPI_ERR_VALUE for a value that cannot travel). */
export function pack(value: unknown): Uint8Array {
  const { parts, byteLength } = encodeValue(value);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(byteLength);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.byteLength; }
  return out;
}

export function unpack<T = unknown>(blob: Uint8Array): T {
  return decodeValue(blob) as T;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Lay `blobs` end to end at 8-byte boundaries. */
export function joinBlobs(blobs: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const b of blobs) total += align8(b.byteLength);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of blobs) { out.set(b, off); off += align8(b.byteLength); }
  return out;
}

/** Walk a batch: `fn(row, blob)` for each of its rows (`fields` numbers per row, the last one the blob's length). */
export function eachRow(table: Float64Array, fields: number, data: Uint8Array, fn: (row: number, blob: Uint8Array) => void): void {
  let off = 0;
  for (let row = 0; row < table.length; row += fields) {
    const len = table[row + fields - 1]!;
    fn(row, data.subarray(off, off + len));
    off += align8(len);
  }
}
