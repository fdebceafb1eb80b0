/**
 * Small typed arrays are sent from a copy in one scratch buffer
 * (comm/small-binary.ts): every kind arrives byte for byte (NaN bits and
 * BigInts included), views at an offset of a larger buffer send only their
 * own bytes, and sends in a row that reuse the scratch do not overwrite each
 * other's messages. In-process world (the transport copies as sockets do).
 */
import { describe, expect, it } from 'vitest';
import { createInProcessWorld, SMALL_BINARY_BYTES } from '@tsmpi/runtime';

const bytes = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

const kinds = [Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];

describe('small typed arrays sent from the scratch copy', () => {
  it('every kind arrives as the same kind with the same bytes', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    for (const Kind of kinds) {
      const n = 5 * 8 / Kind.BYTES_PER_ELEMENT;
      const src = new Kind(n);
      const raw = new Uint8Array(src.buffer);
      for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + 11) & 0xff;
      await a!.send(src, 1, 3);
      const got = (await b!.recv(0, 3)) as ArrayBufferView;
      expect(got.constructor).toBe(Kind);
      expect(bytes(got)).toEqual(bytes(src));
    }
  });

  it('keeps NaN payload bits of a Float64Array', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const src = new Float64Array(2);
    new DataView(src.buffer).setBigUint64(0, 0x7ff8dead_beef0001n, true);
    new DataView(src.buffer).setBigUint64(8, 0xfff0_0000_0000_0002n, true);
    await a!.send(src, 1, 1);
    expect(bytes((await b!.recv(0, 1)) as Float64Array)).toEqual(bytes(src));
  });

  it('sends only the bytes of a view at an offset of a larger buffer', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const whole = new Float64Array([1, 2, 3, 4, 5]);
    await a!.send(whole.subarray(1, 3), 1, 2);
    expect(Array.from((await b!.recv(0, 2)) as Float64Array)).toEqual([2, 3]);
  });

  it('sends in a row, unreceived, each keep their own bytes (the scratch is reused)', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    for (let i = 0; i < 20; i++) await a!.send(new Int32Array([i, -i, i * 1000]), 1, 4);
    a!.Send(new Float32Array([0.5]), 1, 4);
    for (let i = 0; i < 20; i++) expect(Array.from((await b!.recv(0, 4)) as Int32Array)).toEqual([i, i === 0 ? 0 : -i, i * 1000]);
    const f = new Float32Array(1);
    await b!.Recv(f, 0, 4);
    expect(f[0]).toBe(0.5);
  });

  it('at, and just past, the size limit; and to itself', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    for (const n of [SMALL_BINARY_BYTES / 8, SMALL_BINARY_BYTES / 8 + 1]) {
      const src = Float64Array.from({ length: n }, (_, i) => i * 1.25);
      await a!.send(src, 1, 5);
      expect(Array.from((await b!.recv(0, 5)) as Float64Array)).toEqual(Array.from(src));
    }
    const self = new Uint16Array([7, 8, 9]);
    await a!.send(self, 0, 6);
    self[0] = 0;
    expect(Array.from((await a!.recv(0, 6)) as Uint16Array)).toEqual([7, 8, 9]);
  });
});
