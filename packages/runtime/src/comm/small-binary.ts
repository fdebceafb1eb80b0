/**
 * The bytes of a small typed array to send, without a byte view of it.
 *
 * A send needs the array's bytes as a Uint8Array. Making one
 * (`new Uint8Array(a.buffer, a.byteOffset, a.byteLength)`) costs ~800
 * instructions: the `buffer` getter is a call into C++, and a small array
 * (V8 keeps arrays of up to 64 bytes inside its own object) has its buffer
 * made there and then. Every transport copies a small payload into its frame
 * at once anyway (wire/frame-encoder.ts), so a small array is copied instead
 * into a scratch buffer through a view of its own kind (a byte copy: NaN bits
 * kept), and sent as a view of that scratch, made once per length.
 *
 * **The bytes are valid until the next call**: only for a send that copies
 * them before returning (Engine.send of a payload up to SMALL_BINARY_BYTES).
 */
import { typedArrayByCode, type TypedArray } from '../codec/typed-arrays.js';
import { SMALL_BINARY_BYTES } from '../constants.js';

const scratch = new ArrayBuffer(SMALL_BINARY_BYTES);
/** Views of all of the scratch, by encoding code (made on first use). */
const kinds: (TypedArray | undefined)[] = [];
/** `[bytes]` lists over the scratch's first n bytes, by n (made on first use). */
const lists: (readonly Uint8Array[] | undefined)[] = [];

/**
 * `a` (a typed array of at most SMALL_BINARY_BYTES, of the kind `code`, not a
 * Uint8Array) copied into the scratch, as a one-part list for Engine.send.
 */
export function smallBinaryParts(a: TypedArray, code: number): readonly Uint8Array[] {
  const view = kinds[code] ??= new typedArrayByCode[code]!(scratch, 0, SMALL_BINARY_BYTES / typedArrayByCode[code]!.BYTES_PER_ELEMENT);
  // Same kind on both sides: set() is a memmove, no element conversion.
  (view as Float64Array).set(a as Float64Array);
  const n = a.byteLength;
  return lists[n] ??= [new Uint8Array(scratch, 0, n)];
}
