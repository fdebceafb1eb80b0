/**
 * The frame header is msgpack `[kind, ctx, src, tag, enc, depth]`: written by
 * hand in a fixed 31-byte layout when every field is an int32 (the common
 * case), which any msgpack decoder reads back; any other valid msgpack of the
 * same shape (e.g. msgpackr's compact ints, or fields past int32) still decodes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pack, unpack } from 'msgpackr';
import { encodeFrameHead, FrameDecoder, FrameKind, type FrameHeader } from '@tsmpi/runtime';

const arb = (int: fc.Arbitrary<number>) => fc.record({ kind: fc.constant(FrameKind.MSG), ctx: int, src: int, tag: int, enc: fc.integer({ min: 0, max: 14 }), depth: int });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

function decode(frame: Buffer): FrameHeader {
  const got: FrameHeader[] = [];
  new FrameDecoder((h) => got.push(h), 1 << 20).push(frame);
  expect(got).toHaveLength(1);
  return got[0]!;
}

const fields = (h: FrameHeader) => [h.kind, h.ctx, h.src, h.tag, h.enc, h.depth];

describe('frame header', () => {
  it('int32 fields: the fixed 31-byte layout, which msgpack decoders read as the same array', () => {
    fc.assert(fc.property(arb(int32), (h) => {
      const frame = encodeFrameHead(h, 0);
      expect(frame.readUInt32LE(0)).toBe(31);
      const bytes = frame.subarray(12);
      expect(unpack(bytes)).toEqual(fields(h));
      expect(decode(frame)).toEqual(h);
    }), { numRuns: 500 });
  });

  it('fields beyond int32 take the general encoder and round-trip', () => {
    fc.assert(fc.property(arb(fc.integer({ min: 2 ** 31, max: 2 ** 50 })), (h) => {
      const frame = encodeFrameHead(h, 0);
      expect(unpack(frame.subarray(12))).toEqual(fields(h));
      expect(decode(frame)).toEqual(h);
    }), { numRuns: 200 });
  });

  it('a header in any other valid msgpack form (compact ints from a general encoder) decodes the same', () => {
    fc.assert(fc.property(arb(int32), (h) => {
      const header = pack(fields(h));
      const prefix = Buffer.alloc(12);
      prefix.writeUInt32LE(header.length, 0);
      expect(decode(Buffer.concat([prefix, header]))).toEqual(h);
    }), { numRuns: 500 });
  });
});
