/**
 * The WebSocket frame reader (transport/ws-frame-reader.ts): whatever way the
 * socket's bytes are cut, messages fragmented or not, masked with any key or
 * unmasked, with pings, pongs and empty frames interleaved anywhere, it hands
 * on exactly the binary payload bytes in order, each ping's payload, and the
 * close; anything malformed is a TSMPI_ERR_PROTOCOL error before anything is
 * buffered, after which the reader ignores its input. Frames written by
 * ws-frame-writer.ts read back as they were.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WsFrameReader } from '../../dist/transport/ws-frame-reader.js';
import { binaryFrame, binaryHead, closeFrame, pongFrame } from '../../dist/transport/ws-frame-writer.js';
import { protocolError } from '../wire/protocol-error.js';

const OP = { CONT: 0, TEXT: 1, BIN: 2, CLOSE: 8, PING: 9, PONG: 10 };

/** One raw frame: any opcode, FIN bit, optional mask key (applied here), RSV bits, forced length encoding. */
function frame(o: { op: number; fin?: boolean; payload?: Uint8Array; key?: Uint8Array; rsv?: number; len?: number; lenBytes?: 0 | 2 | 8 }): Buffer {
  const payload = Buffer.from(o.payload ?? new Uint8Array(0));
  const len = o.len ?? payload.length;
  const lenBytes = o.lenBytes ?? (len < 126 ? 0 : len < 0x10000 ? 2 : 8);
  const head = Buffer.alloc(2 + lenBytes + (o.key ? 4 : 0));
  head[0] = ((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | o.op;
  head[1] = (o.key ? 0x80 : 0) | (lenBytes === 0 ? len : lenBytes === 2 ? 126 : 127);
  if (lenBytes === 2) head.writeUInt16BE(len, 2);
  if (lenBytes === 8) { head.writeUInt32BE(Math.floor(len / 2 ** 32), 2); head.writeUInt32BE(len >>> 0, 6); }
  const body = Buffer.from(payload);
  if (o.key) {
    head.set(o.key, 2 + lenBytes);
    for (let i = 0; i < body.length; i++) body[i]! ^= o.key[i & 3]!;
  }
  return Buffer.concat([head, body]);
}

function reader() {
  const got = { data: [] as Buffer[], pings: [] as Buffer[], closes: [] as (number | undefined)[] };
  const r = new WsFrameReader({
    // Ranges are valid only during the call: copy, as a real consumer must.
    data: (b, start, end) => got.data.push(Buffer.from(b.subarray(start, end))),
    ping: (p) => got.pings.push(Buffer.from(p)),
    close: (code) => got.closes.push(code),
  });
  return { r, got };
}

/**
 * Feed `bytes` cut at `cuts` (offsets, any order), as a socket's reads come: each piece is a range
 * of one read buffer (unmasked in place), overwritten once pushed, as the next read would.
 */
function feed(r: WsFrameReader, bytes: Buffer, cuts: number[] = []): void {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const readBuffer = Buffer.from(bytes);
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    if (c > prev) {
      r.push(readBuffer, prev, c);
      readBuffer.fill(0xee, prev, c);
    }
    prev = c;
  }
}

const keyArb = fc.oneof(fc.constant(undefined), fc.constant(new Uint8Array(4)), fc.uint8Array({ minLength: 4, maxLength: 4 }));
/** A message as its fragments' payloads (sizes straddle the 7-bit and 16-bit length encodings). */
const messageArb = fc.array(fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 130 }), weight: 12 },
  { arbitrary: fc.uint8Array({ minLength: 65530, maxLength: 65540 }), weight: 1 },
), { minLength: 1, maxLength: 4 });
const controlArb = fc.record({ op: fc.constantFrom(OP.PING, OP.PONG), payload: fc.uint8Array({ maxLength: 125 }), key: keyArb });

describe('WsFrameReader: any framing, any chunking', () => {
  it('hands on the binary payload in order, pings, and the close', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ fragments: messageArb, keys: fc.array(keyArb, { minLength: 4, maxLength: 4 }), controls: fc.array(fc.option(controlArb), { minLength: 4, maxLength: 4 }) }), { maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.option(fc.integer({ min: 1000, max: 4999 })),
      (messages, cuts, closeCode) => {
        const parts: Buffer[] = [];
        const wantPings: Buffer[] = [];
        for (const m of messages) {
          m.fragments.forEach((p, i) => {
            parts.push(frame({ op: i === 0 ? OP.BIN : OP.CONT, fin: i === m.fragments.length - 1, payload: p, key: m.keys[i] }));
            // Control frames may come between the fragments of a message.
            const c = m.controls[i];
            if (c) {
              parts.push(frame(c));
              if (c.op === OP.PING) wantPings.push(Buffer.from(c.payload));
            }
          });
        }
        const close = Buffer.alloc(closeCode === null ? 0 : 2);
        if (closeCode !== null) close.writeUInt16BE(closeCode, 0);
        parts.push(frame({ op: OP.CLOSE, payload: close, key: new Uint8Array([1, 2, 3, 4]) }));
        // Nothing after a close is read.
        parts.push(Buffer.from('garbage after the close'));
        const { r, got } = reader();
        feed(r, Buffer.concat(parts), cuts);
        const want = Buffer.concat(messages.flatMap((m) => m.fragments.map((f) => Buffer.from(f))));
        expect(Buffer.concat(got.data).equals(want)).toBe(true);
        expect(got.pings).toEqual(wantPings);
        expect(got.closes).toEqual([closeCode ?? undefined]);
        expect(r.idle).toBe(true);
      },
    ), { numRuns: 100 });
  });

  it('reads 64-bit lengths, empty frames, and what the writer writes', () => {
    const big = Buffer.alloc(70000, 7);
    const { r, got } = reader();
    const bytes = Buffer.concat([
      frame({ op: OP.BIN, payload: Buffer.from([1, 2]), lenBytes: 8 }),
      frame({ op: OP.BIN }),
      binaryFrame(Buffer.from([3]), true),
      binaryFrame(Buffer.from([4, 5]), false),
      binaryHead(big.length, true), big,
      pongFrame(Buffer.from('p'), true),
      closeFrame(1000, false),
    ]);
    feed(r, bytes, [1, 3, 11, 20, 70000]);
    expect(Buffer.concat(got.data).equals(Buffer.concat([Buffer.from([1, 2, 3, 4, 5]), big]))).toBe(true);
    expect(got.closes).toEqual([1000]);
  });

  it('is not idle inside a frame or a fragmented message', () => {
    const { r } = reader();
    r.push(frame({ op: OP.BIN, payload: Buffer.from([1, 2, 3]) }).subarray(0, 3));
    expect(r.idle).toBe(false);
    const { r: r2 } = reader();
    r2.push(frame({ op: OP.BIN, fin: false, payload: Buffer.from([1]) }));
    expect(r2.idle).toBe(false);
  });
});

describe('WsFrameReader: malformed frames are TSMPI_ERR_PROTOCOL errors', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['reserved bits (compression)', frame({ op: OP.BIN, rsv: 4, payload: Buffer.from([1]) }), /reserved bits.*extension/],
    ['a text message', frame({ op: OP.TEXT, payload: Buffer.from('hi') }), /text message/],
    ['an unknown data opcode', frame({ op: 3 }), /unknown data opcode 0x3/],
    ['an unknown control opcode', frame({ op: 0xb }), /unknown control opcode 0xb/],
    ['a continuation with nothing to continue', frame({ op: OP.CONT, payload: Buffer.from([1]) }), /continuation frame without a message/],
    ['a new message inside a fragmented one', Buffer.concat([frame({ op: OP.BIN, fin: false }), frame({ op: OP.BIN })]), /new message began/],
    ['a fragmented control frame', frame({ op: OP.PING, fin: false }), /fragmented control frame/],
    ['a control frame over 125 bytes', frame({ op: OP.PING, payload: new Uint8Array(126) }), /longer than 125/],
    ['a 1-byte close body', frame({ op: OP.CLOSE, payload: new Uint8Array(1) }), /1-byte body/],
    ['a length past 2^53-1', frame({ op: OP.BIN, len: 2 ** 53, lenBytes: 8 }), /beyond 2\^53-1/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`${what}, however the bytes are cut`, () => {
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 6 }), (cuts) => {
        const { r, got } = reader();
        const err = protocolError(() => feed(r, bytes, cuts));
        expect(err.message).toMatch(message);
        expect(err.message).toMatch(/not a compatible tsmpi rank/);
        // Failed for good: later input is ignored, nothing more is handed on.
        r.push(frame({ op: OP.BIN, payload: Buffer.from([9]) }));
        expect(got.data.filter((d) => d.includes(9))).toEqual([]);
      }), { numRuns: 30 });
    });
  }

  it('buffers nothing for an announced huge frame: its bytes stream through as they come', () => {
    const { r, got } = reader();
    r.push(frame({ op: OP.BIN, len: 2 ** 40, lenBytes: 8 }));
    r.push(Buffer.from([1, 2, 3]));
    expect(got.data.map((d) => [...d])).toEqual([[1, 2, 3]]);
    expect(r.idle).toBe(false);
  });
});

describe('WsFrameReader: payloads read in place', () => {
  it('offers the rest of an unmasked (or zero-key) data frame, none of a masked one, a control frame or a head; skip() then reads on', () => {
    const { r, got } = reader();
    expect(r.inPlaceRoom).toBe(0);
    const big = new Uint8Array(1000).fill(7);
    // Unmasked: after 10 payload bytes pushed, 990 may be read in place.
    const a = frame({ op: OP.BIN, fin: false, payload: big });
    r.push(a.subarray(0, 4 + 10));
    expect(r.inPlaceRoom).toBe(990);
    r.skip(600);
    expect(r.inPlaceRoom).toBe(390);
    r.skip(390);
    expect(r.inPlaceRoom).toBe(0);
    // Zero key (tsmpi's client): as unmasked. The continuation frame's head is read after the skipped bytes.
    const b = frame({ op: OP.CONT, fin: false, payload: big, key: new Uint8Array(4) });
    r.push(b.subarray(0, 8 + 1));
    expect(r.inPlaceRoom).toBe(999);
    r.skip(999);
    // Masked with a real key: never in place (the bytes must be unmasked).
    const c = frame({ op: OP.CONT, payload: Uint8Array.of(1, 2, 3, 4, 5), key: Uint8Array.of(1, 2, 3, 4) });
    r.push(c.subarray(0, 7));
    expect(r.inPlaceRoom).toBe(0);
    r.push(c.subarray(7));
    const ping = frame({ op: OP.PING, payload: Uint8Array.of(9, 9, 9) });
    r.push(ping.subarray(0, 3));
    expect(r.inPlaceRoom).toBe(0);
    r.push(ping.subarray(3));
    expect(got.data.map((d) => d.length)).toEqual([10, 1, 1, 4]);
    expect([...Buffer.concat(got.data).subarray(11)]).toEqual([1, 2, 3, 4, 5]);
    expect(got.pings.map((p) => [...p])).toEqual([[9, 9, 9]]);
    expect(r.idle).toBe(true);
  });
});
