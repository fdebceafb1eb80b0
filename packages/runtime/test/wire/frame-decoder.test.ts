/**
 * Frames on a byte stream: whatever way the stream is cut into chunks (one
 * byte at a time, odd splits, 64 KiB socket chunks), the decoder hands over
 * the same frames in order, each payload 8-byte aligned and never sharing
 * memory with the stream (small ones in a slab, others in their own buffer); an
 * oversize header or payload, or garbage, is a TSMPI_ERR_PROTOCOL error
 * before anything is allocated, and the decoder stays failed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Bytes, SMALL_PAYLOAD_BYTES, encodeFrameHead, FrameDecoder, FrameKind, type FrameHeader, TsmpiError } from '@tsmpi/runtime';
import { protocolError } from './protocol-error.js';

interface Frame { header: FrameHeader; payload: Uint8Array }

const header = (o: Partial<FrameHeader> = {}): FrameHeader =>
  ({ kind: FrameKind.MSG, ctx: 0, src: 1, tag: 7, enc: 0, depth: 3, ...o });

function frameBytes(h: FrameHeader, payload: Uint8Array): Buffer {
  return Buffer.concat([encodeFrameHead(h, payload.byteLength), payload]);
}

function collector(max = 2 ** 30) {
  const frames: Frame[] = [];
  // Payloads within the view limit are Uint8Arrays (the windowed case has its own test).
  const decoder = new FrameDecoder((h, p) => frames.push({ header: h, payload: p as Uint8Array }), max);
  return { frames, decoder };
}

/** A raw frame: u32 header length, u64 payload length, header bytes, payload. */
function rawFrame(headerBytes: number[], payloadLength: number, payload: number[] = []): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(headerBytes.length, 0);
  b.writeUInt32LE(payloadLength % 2 ** 32, 4);
  b.writeUInt32LE(Math.floor(payloadLength / 2 ** 32), 8);
  return Buffer.concat([b, Buffer.from(headerBytes), Buffer.from(payload)]);
}

function pattern(n: number, seed: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 31 + seed) & 0xff;
  return p;
}

describe('FrameDecoder: splitting', () => {
  const frames: Frame[] = [
    { header: header(), payload: pattern(10, 1) },
    { header: header({ tag: 0, enc: 9, depth: 0 }), payload: new Uint8Array(0) },
    { header: header({ ctx: 5, src: 0, tag: 2 ** 31 - 1, enc: 14, depth: 123456 }), payload: pattern(1000, 2) },
    { header: header({ tag: -1, ctx: 2 ** 20 }), payload: pattern(1, 3) },
  ];
  const stream = Buffer.concat(frames.map((f) => frameBytes(f.header, f.payload)));

  function check(got: Frame[]): void {
    expect(got).toHaveLength(frames.length);
    got.forEach((g, i) => {
      expect(g.header).toEqual(frames[i]!.header);
      expect(Buffer.from(g.payload).equals(frames[i]!.payload)).toBe(true);
      // Aligned, so every typed-array view into it is; above the slab size, a buffer of its own.
      expect(g.payload.byteOffset % 8).toBe(0);
      if (g.payload.byteLength > SMALL_PAYLOAD_BYTES) {
        expect(g.payload.byteOffset).toBe(0);
        expect(g.payload.buffer.byteLength).toBe(g.payload.byteLength);
      }
    });
  }

  it('in one chunk', () => {
    const { frames: got, decoder } = collector();
    decoder.push(stream);
    check(got);
    expect(decoder.idle).toBe(true);
  });

  it('byte by byte', () => {
    const { frames: got, decoder } = collector();
    for (let i = 0; i < stream.length; i++) {
      decoder.push(stream.subarray(i, i + 1));
      if (i < stream.length - 1) expect(got.length).toBeLessThan(frames.length);
    }
    check(got);
    expect(decoder.idle).toBe(true);
  });

  it('at every single split point', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { frames: got, decoder } = collector();
      decoder.push(stream.subarray(0, cut));
      decoder.push(stream.subarray(cut));
      check(got);
    }
  });

  it('from ranges of one reused read buffer, overwritten after every push (as net sockets feed it)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }), fc.nat(7), (cuts, lead) => {
      const { frames: got, decoder } = collector();
      const reused = Buffer.alloc(lead + 64);
      let at = 0, i = 0;
      while (at < stream.length) {
        const n = Math.min(cuts[i++ % cuts.length]!, stream.length - at);
        stream.copy(reused, lead, at, at + n);
        decoder.push(reused, lead, lead + n);
        reused.fill(0xee);
        at += n;
      }
      check(got);
      expect(decoder.idle).toBe(true);
    }), { numRuns: 300 });
  });

  it('is not idle in the middle of a frame', () => {
    const { decoder } = collector();
    decoder.push(stream.subarray(0, 5));
    expect(decoder.idle).toBe(false);
    decoder.push(stream.subarray(5, 30));
    expect(decoder.idle).toBe(false);
  });

  it('a large payload arriving in 64 KiB chunks lands in one buffer', () => {
    const payload = pattern(5 * 1024 * 1024 + 3, 9);
    const bytes = frameBytes(header({ enc: 2 }), payload);
    const { frames: got, decoder } = collector();
    for (let o = 0; o < bytes.length; o += 65536) decoder.push(bytes.subarray(o, o + 65536));
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!.payload).equals(payload)).toBe(true);
  });

  it('a payload above the view limit is filled window by window into one ArrayBuffer, whatever the chunks', () => {
    // The real limit is 4 GiB (Node 20's largest Uint8Array) with 1 GiB windows; here 16 bytes and 5.
    fc.assert(fc.property(fc.integer({ min: 17, max: 120 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (n, cuts) => {
      const got: Bytes[] = [];
      const d = new FrameDecoder((_, p) => got.push(p), 1 << 20, { max: 16, window: 5 });
      const payload = pattern(n, 3);
      const bytes = Buffer.concat([frameBytes(header(), pattern(4, 1)), frameBytes(header({ tag: 2 }), payload), frameBytes(header(), pattern(16, 2))]);
      for (let off = 0, i = 0; off < bytes.length; i++) { const c = cuts[i % cuts.length]!; d.push(bytes.subarray(off, off + c)); off += c; }
      expect(got).toHaveLength(3);
      const big = got[1]!;
      expect(big).not.toBeInstanceOf(Uint8Array);
      expect([big.byteOffset, big.byteLength, big.buffer.byteLength]).toEqual([0, n, n]);
      expect(Buffer.from(big.buffer)).toEqual(Buffer.from(payload));
      // Around it, payloads within the limit are plain Uint8Arrays as always.
      expect(got[0]).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got[2] as Uint8Array)).toEqual(Buffer.from(pattern(16, 2)));
      expect(d.idle).toBe(true);
    }), { numRuns: 300 });
  });

  it('a claimed payload is written into the claimer\'s buffer (windows included), and the claim comes with the frame', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }), fc.boolean(), (n, cuts, small) => {
      const dst = new Uint8Array(n + 8);
      const got: { p: Bytes; c: unknown }[] = [];
      const claims: unknown[] = [];
      const d = new FrameDecoder((_, p, c) => got.push({ p, c }), 1 << 20, small ? { max: 16, window: 5 } : undefined, (h, len) => {
        if (h.tag !== 9) return undefined;
        const c = { bytes: len > 16 ? { buffer: dst.buffer, byteOffset: 3, byteLength: len } : dst.subarray(3, 3 + len) };
        claims.push(c);
        return c;
      });
      const payload = pattern(n, 5);
      const bytes = Buffer.concat([frameBytes(header({ tag: 9 }), payload), frameBytes(header({ tag: 1 }), pattern(7, 1))]);
      for (let off = 0, i = 0; off < bytes.length; i++) { const c = cuts[i % cuts.length]!; d.push(bytes.subarray(off, off + c)); off += c; }
      expect(got).toHaveLength(2);
      expect(got[0]!.c).toBe(claims[0]);
      expect(got[0]!.p.buffer).toBe(dst.buffer);
      expect(Buffer.from(dst.subarray(3, 3 + n))).toEqual(Buffer.from(payload));
      expect([dst[0], dst[1], dst[2]]).toEqual([0, 0, 0]);
      expect(got[1]!.c).toBeUndefined();
      expect(Buffer.from(got[1]!.p as Uint8Array)).toEqual(Buffer.from(pattern(7, 1)));
    }), { numRuns: 300 });
  });

  it('reads in place (directView/landed), as a socket with reused reads takes them: frames intact, views never past a payload (property)', () => {
    // The real threshold is 64 KiB; here 8 bytes, with windows of 5 above 16 bytes in half the runs.
    fc.assert(fc.property(
      fc.array(fc.record({ n: fc.integer({ min: 0, max: 80 }), claimed: fc.boolean() }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
      fc.boolean(),
      (specs, reads, windowed) => {
        const got: { p: Bytes; tag: number }[] = [];
        const d = new FrameDecoder((h, p) => got.push({ p, tag: h.tag }), 1 << 20, windowed ? { max: 16, window: 5 } : undefined,
          (h, len) => (specs[h.tag]!.claimed ? { bytes: windowed && len > 16 ? { buffer: new ArrayBuffer(len + 3), byteOffset: 3, byteLength: len } : new Uint8Array(len + 3).subarray(3) } : undefined), 8);
        const payloads = specs.map((s, i) => pattern(s.n, i));
        const stream = Buffer.concat(payloads.map((p, i) => frameBytes(header({ tag: i }), p)));
        // Where each payload's bytes sit in the stream: no view may reach past its payload's end.
        const ends: number[] = [];
        let at = 0;
        for (let i = 0; i < payloads.length; i++) { at += encodeFrameHead(header({ tag: i }), payloads[i]!.byteLength).byteLength + payloads[i]!.byteLength; ends.push(at); }
        const reused = Buffer.alloc(13);
        let direct = 0;
        for (let off = 0, i = 0; off < stream.length; i++) {
          const want = reads[i % reads.length]!;
          const view = d.directView();
          if (view) {
            expect(view.byteLength).toBeGreaterThanOrEqual(8);
            expect(off + view.byteLength).toBeLessThanOrEqual(ends.find((e) => e > off)!);
            const n = Math.min(want, view.byteLength);
            view.set(stream.subarray(off, off + n));
            d.landed(n);
            off += n; direct += n;
          } else {
            const n = Math.min(want, reused.length, stream.length - off);
            stream.copy(reused, 0, off, off + n);
            d.push(reused, 0, n);
            reused.fill(0xee); // the read buffer is overwritten by the next read
            off += n;
          }
        }
        expect(got.map((g) => g.tag)).toEqual(specs.map((_, i) => i));
        got.forEach((g, i) => {
          const bytes = g.p instanceof Uint8Array ? g.p : new Uint8Array(g.p.buffer, g.p.byteOffset, g.p.byteLength);
          expect(Buffer.from(bytes).equals(payloads[i]!)).toBe(true);
        });
        // A payload with 8 bytes or more left after a read into the 13-byte buffer is offered in place
        // (windows of 5 bytes never leave 8 in one); an unclaimed one after two (the read after its
        // header's decides where it goes).
        if (!windowed && specs.some((s) => s.n >= 8 + (s.claimed ? 13 : 26))) expect(direct).toBeGreaterThan(0);
        expect(d.idle).toBe(true);
        expect(d.directView()).toBeUndefined();
      }), { numRuns: 400 });
  });

  it('a large payload no receive claims at its header is claimed at the next read (a receive posted in between gets it in place)', () => {
    const got: { p: Bytes; claim: unknown }[] = [];
    const dst = new Uint8Array(200_000);
    let posted = false, asked = 0;
    const claimOf = { bytes: dst };
    const d = new FrameDecoder((_, p, c) => got.push({ p, claim: c }), 1 << 20, undefined, () => { asked++; return posted ? claimOf : undefined; });
    const payload = pattern(200_000, 4);
    const small = frameBytes(header({ tag: 1 }), pattern(10, 1));
    const big = frameBytes(header({ tag: 2 }), payload);
    // One read: a whole small frame, the big frame's header and 1,000 bytes of its payload.
    const head = big.length - payload.length;
    const first = Buffer.concat([small, big.subarray(0, head + 1000)]);
    d.push(first);
    expect(got).toHaveLength(1);
    expect(asked).toBe(2); // the small frame's payload, and the big one's header
    expect(d.directView()).toBeUndefined(); // where the payload goes is not known yet
    first.fill(0xee); // the read buffer is overwritten
    posted = true; // the program posts its receive (a microtask, between two reads)
    d.push(big, head + 1000, head + 5000);
    expect(asked).toBe(3);
    const v = d.directView()!;
    expect(v.buffer).toBe(dst.buffer);
    expect(v.byteOffset).toBe(5000);
    v.set(big.subarray(head + 5000));
    d.landed(v.byteLength);
    expect(got).toHaveLength(2);
    expect(got[1]!.claim).toBe(claimOf);
    expect(got[1]!.p).toBe(dst);
    expect(Buffer.from(dst).equals(payload)).toBe(true);
  });

  it('a large payload that ends in the read of its header is delivered at once, claimed or not', () => {
    const got: Bytes[] = [];
    const d = new FrameDecoder((_, p) => got.push(p), 1 << 20, undefined, () => undefined);
    const payload = pattern(100_000, 5);
    d.push(frameBytes(header(), payload));
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0] as Uint8Array).equals(payload)).toBe(true);
    expect(d.idle).toBe(true);
  });

  it('offers no view between frames, for a small payload, or once failed', () => {
    const d = new FrameDecoder(() => {}, 1 << 20);
    expect(d.directView()).toBeUndefined();
    const big = frameBytes(header(), pattern(200_000, 1));
    d.push(big, 0, 100);
    const v = d.directView()!;
    expect(v.byteLength).toBe(big.length - 100);
    d.landed(v.byteLength - 70_000);
    expect(d.directView()!.byteLength).toBe(70_000);
    d.landed(10_000);
    expect(d.directView()).toBeUndefined(); // 60,000 left: below 64 KiB, through the read buffer
    const small = new FrameDecoder(() => {}, 1 << 20);
    small.push(frameBytes(header(), pattern(60_000, 1)), 0, 50);
    expect(small.directView()).toBeUndefined();
    const failed = new FrameDecoder(() => { throw new Error('handler'); }, 1 << 20);
    expect(() => failed.push(frameBytes(header(), pattern(1, 1)))).toThrow('handler');
    expect(failed.broken).toBe(true);
    expect(failed.directView()).toBeUndefined();
  });

  it('any frames cut at any points come out the same, in order (property)', () => {
    const frameArb = fc.record({
      ctx: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      src: fc.integer({ min: 0, max: 100_000 }),
      tag: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
      enc: fc.integer({ min: 0, max: 14 }),
      depth: fc.integer({ min: 0, max: 2 ** 40 }),
      payload: fc.uint8Array({ maxLength: 3000 }),
    });
    fc.assert(fc.property(fc.array(frameArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (fs, cuts) => {
      const bytes = Buffer.concat(fs.map(({ payload, ...h }) => frameBytes(header(h), payload)));
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const { frames: got, decoder } = collector();
      let prev = 0;
      for (const p of [...points, bytes.length]) { decoder.push(bytes.subarray(prev, p)); prev = p; }
      expect(got).toHaveLength(fs.length);
      got.forEach((g, i) => {
        const { payload, ...h } = fs[i]!;
        expect(g.header).toEqual(header(h));
        expect(Buffer.from(g.payload).equals(payload)).toBe(true);
      });
      expect(decoder.idle).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('FrameDecoder: limits and garbage → TSMPI_ERR_PROTOCOL', () => {
  const good = [0x96, 1, 0, 1, 7, 0, 0]; // msgpack [1, 0, 1, 7, 0, 0]

  it('accepts a hand-made header (the wire format is [kind, ctx, src, tag, enc, depth])', () => {
    const { frames, decoder } = collector();
    decoder.push(rawFrame(good, 2, [5, 6]));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.header).toEqual({ kind: 1, ctx: 0, src: 1, tag: 7, enc: 0, depth: 0 });
    expect([...frames[0]!.payload]).toEqual([5, 6]);
  });

  it('a header longer than 4096 bytes, from the prefix alone', () => {
    const { decoder } = collector();
    const b = Buffer.alloc(12);
    b.writeUInt32LE(4097, 0);
    expect(protocolError(() => decoder.push(b)).message).toMatch(/4097.*4096/);
  });

  it('a zero-length header', () => {
    const { decoder } = collector();
    protocolError(() => decoder.push(rawFrame([], 0)));
  });

  it('a payload above the limit, before allocating it', () => {
    const { decoder } = collector(1 << 20);
    const err = protocolError(() => decoder.push(rawFrame(good, 2 ** 33 + 5).subarray(0, 12)));
    expect(err.message).toContain(String(2 ** 33 + 5));
    expect(err.message).toContain('TSMPI_MAX_MESSAGE');
  });

  it('a payload exactly at the limit is accepted', () => {
    const { frames, decoder } = collector(4);
    decoder.push(rawFrame(good, 4, [1, 2, 3, 4]));
    expect(frames).toHaveLength(1);
  });

  const badHeaders: [string, number[]][] = [
    ['not msgpack', [0xc1, 0xc1, 0xc1]],
    ['a map instead of an array', [0x81, 0xa1, 0x61, 0x01]],
    ['an array of 5', [0x95, 1, 0, 1, 7, 0]],
    ['an array of 7', [0x97, 1, 0, 1, 7, 0, 0, 0]],
    ['a string field', [0x96, 1, 0, 1, 0xa1, 0x61, 0, 0]],
    ['a float field', [0x96, 1, 0, 1, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['an unknown frame kind', [0x96, 99, 0, 1, 7, 0, 0]],
    ['truncated msgpack', [0x96, 1, 0]],
  ];
  for (const [name, bytes] of badHeaders) {
    it(`a header that is ${name}`, () => {
      const { frames, decoder } = collector();
      protocolError(() => decoder.push(rawFrame(bytes, 0)));
      expect(frames).toHaveLength(0);
    });
  }

  it('stays failed: later bytes, even good frames, are ignored', () => {
    const { frames, decoder } = collector();
    protocolError(() => decoder.push(rawFrame([0xc1], 0)));
    decoder.push(rawFrame(good, 0));
    decoder.push(frameBytes(header(), pattern(3, 1)));
    expect(frames).toHaveLength(0);
  });

  it('an error thrown by the frame handler fails the decoder', () => {
    const decoder = new FrameDecoder(() => { throw new TsmpiError('TSMPI_ERR_PROTOCOL', 'wrong sender'); }, 1 << 20);
    protocolError(() => decoder.push(rawFrame(good, 0)));
    decoder.push(rawFrame(good, 0)); // ignored, no throw
  });

  it('random garbage never throws anything but TSMPI_ERR_PROTOCOL (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat({ max: 299 }), (garbage, cut) => {
      const { decoder } = collector(1 << 16);
      try {
        decoder.push(garbage.subarray(0, cut));
        decoder.push(garbage.subarray(cut));
      } catch (err) {
        if (!TsmpiError.is(err) || err.code !== 'TSMPI_ERR_PROTOCOL') throw new Error(`threw ${String(err)}`);
      }
    }), { numRuns: 2000 });
  });

  it('garbage after a good frame: the good frame is delivered, then the error', () => {
    const { frames, decoder } = collector(1 << 16);
    const bytes = Buffer.concat([frameBytes(header(), pattern(4, 4)), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
    protocolError(() => decoder.push(bytes));
    expect(frames).toHaveLength(1);
  });
});
