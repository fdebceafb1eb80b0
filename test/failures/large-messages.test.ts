// Messages past the 32-bit sizes, without the memory (allocation is lazy and
// nothing here touches the bytes): a value whose arrays add up to more than
// 2 GiB is framed with its true length (the 8-byte alignment once wrapped at
// 2^31: a 3 GiB value failed, a 4.5 GiB one garbled the stream); a message
// larger than one buffer can be on this Node fails at once on the sender with
// TSMPI_ERR_UNSUPPORTED, and a frame announcing one is refused by the receiver
// with a message that says why. The real transfers are in heavy.test.ts (opt-in).
import { describe, expect, it } from 'vitest';
import { Communicator } from '@tsmpi/collectives';
import { createInProcessWorld, encodeValue, ErrorCode, FrameDecoder, TsmpiError } from '@tsmpi/runtime';
import { constants } from 'node:buffer';

const GiB = 2 ** 30;

describe('messages of gigabytes', () => {
  it('a value holding arrays of more than 2 GiB in all is encoded with its true length and aligned parts', () => {
    const a = new Uint8Array(2 * GiB), b = new Uint8Array(GiB + 3), c = new Float64Array(5);
    const { parts, byteLength } = encodeValue({ a, b, c });
    expect(byteLength).toBe(parts.reduce((n, p) => n + p.byteLength, 0));
    expect(byteLength).toBeGreaterThan(3 * GiB + 3);
    // Every segment starts 8-byte aligned within the payload.
    let off = 0;
    for (const p of parts) {
      if (p === a || p.buffer === c.buffer) expect(off % 8).toBe(0);
      off += p.byteLength;
    }
  });

  it(`a message larger than one buffer (${constants.MAX_LENGTH} bytes here) fails on the sender with TSMPI_ERR_UNSUPPORTED`, async () => {
    const { comms } = createInProcessWorld(2, Communicator);
    const pieces = [];
    for (let left = constants.MAX_LENGTH + 1; left > 0; left -= 2 ** 31) pieces.push(new Uint8Array(Math.min(2 ** 31, left)));
    for (const dest of [0, 1]) {
      const err = await comms[0]!.send({ pieces }, dest, 1).then(() => undefined, (e: unknown) => e);
      expect(TsmpiError.is(err) && err.code, String(err)).toBe(ErrorCode.UNSUPPORTED);
      expect((err as Error).message).toMatch(/larger than one buffer can be on this Node .* send it in several messages/);
    }
  });

  it('a frame announcing a payload larger than one buffer is refused with a clear reason', () => {
    const d = new FrameDecoder(() => { throw new Error('no frame may come out'); }, 2 ** 40);
    const prefix = Buffer.alloc(12);
    prefix.writeUInt32LE(7, 0);
    prefix.writeBigUInt64LE(BigInt(constants.MAX_LENGTH) + 1n, 4);
    let err: unknown;
    try { d.push(prefix); } catch (e) { err = e; }
    expect(TsmpiError.is(err) && err.code).toBe(ErrorCode.PROTOCOL);
    expect((err as Error).message).toMatch(/more than one buffer can hold on this Node/);
  });
});
