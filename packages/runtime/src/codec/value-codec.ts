/**
 * The structured value codec: any value tsmpi can send becomes a small
 * "structure" section plus out-of-band binary segments (the bytes of every
 * typed array, Buffer and ArrayBuffer inside the value), each at an 8-byte
 * aligned offset so the receiver views them in place without a copy.
 *
 * Why not msgpackr for values: its default `pack()` corrupts typed arrays,
 * and it loses -0, the Map/object and Set/array distinctions, small bigints
 * and Uint8Array vs Buffer. This codec keeps every one of them; msgpackr still
 * encodes the frame header (wire/header.ts).
 *
 * The format: value-format.ts; encoding: value-writer.ts; decoding: value-reader.ts.
 */
export { encodeValue, encodeValueToSend, type EncodedValue } from './value-writer.js';
export { decodeValue } from './value-reader.js';
