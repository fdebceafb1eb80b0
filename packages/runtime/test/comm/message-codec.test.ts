/**
 * A message's encoding: a bare typed array, Buffer or ArrayBuffer travels as
 * its raw bytes (no copy on the sending side) with its kind in the header;
 * anything else goes through the value codec.
 */
import { describe, expect, it } from 'vitest';
import { binaryCode, bytesOf, decodeMessage, encodeMessage, Encoding, isTypedArray } from '@tsmpi/runtime';
import { difference, smallCases } from '../../../../test/programs/p2p-values.js';

const KINDS: [unknown, number][] = [
  [new Int8Array([-1, 2]), Encoding.INT8],
  [new Uint8Array([1, 2]), Encoding.UINT8],
  [new Uint8ClampedArray([1, 255]), Encoding.UINT8_CLAMPED],
  [new Int16Array([-3]), Encoding.INT16],
  [new Uint16Array([3]), Encoding.UINT16],
  [new Int32Array([-4]), Encoding.INT32],
  [new Uint32Array([4]), Encoding.UINT32],
  [new Float32Array([-0]), Encoding.FLOAT32],
  [new Float64Array([NaN, -0]), Encoding.FLOAT64],
  [new BigInt64Array([-(2n ** 63n)]), Encoding.BIGINT64],
  [new BigUint64Array([2n ** 64n - 1n]), Encoding.BIGUINT64],
  [new Uint8Array([1, 2, 3]).buffer, Encoding.ARRAY_BUFFER],
  [Buffer.from('buf'), Encoding.BUFFER],
];

function fresh(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.byteLength; }
  return out;
}

describe('encodeMessage / decodeMessage', () => {
  for (const [value, enc] of KINDS) {
    const name = (value as object).constructor.name;
    it(`a bare ${name} goes as raw bytes (encoding ${enc}) without a copy`, () => {
      expect(binaryCode(value)).toBe(enc);
      const out = encodeMessage(value);
      expect(out.enc).toBe(enc);
      expect(out.parts).toHaveLength(1);
      const raw = bytesOf(value as ArrayBufferView | ArrayBuffer);
      expect(out.byteLength).toBe(raw.byteLength);
      expect(out.parts[0]!.buffer).toBe(raw.buffer);
      expect(out.parts[0]!.byteOffset).toBe(raw.byteOffset);
      const back = decodeMessage(out.enc, fresh(out.parts, out.byteLength));
      const d = difference(value, back);
      if (d) expect.fail(d);
    });
  }

  it('a raw payload (buffer family) decodes as a Uint8Array', () => {
    const v = decodeMessage(Encoding.RAW, new Uint8Array([1, 2, 3]));
    expect(v).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(v)).toBe(false);
    expect([...(v as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('every other value goes through the value codec and comes back identical', () => {
    for (const { name, value } of smallCases()) {
      const out = encodeMessage(value);
      if (binaryCode(value) !== undefined) continue;
      expect(out.enc, name).toBe(Encoding.VALUE);
      const d = difference(value, decodeMessage(out.enc, fresh(out.parts, out.byteLength)));
      if (d) expect.fail(`${name}: ${d}`);
    }
  });

  it('isTypedArray accepts every kind and refuses DataView, ArrayBuffer and plain arrays', () => {
    for (const [v] of KINDS) if (!(v instanceof ArrayBuffer)) expect(isTypedArray(v)).toBe(true);
    expect(isTypedArray(new DataView(new ArrayBuffer(1)))).toBe(false);
    expect(isTypedArray(new ArrayBuffer(1))).toBe(false);
    expect(isTypedArray([1, 2])).toBe(false);
  });
});
