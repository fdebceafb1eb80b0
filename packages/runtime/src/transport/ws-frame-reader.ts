/**
 * Reads RFC 6455 WebSocket frames from the raw socket, after `ws` has done the
 * HTTP upgrade. tsmpi uses a WebSocket as a byte stream: the payloads of its
 * binary messages, fragmented or not, are handed on in order as they arrive,
 * chunk by chunk, without reassembling a message (the frame decoder above
 * copies them straight into the destination). That is what `ws` could not do:
 * it keeps every message whole in its own buffers before handing it over.
 *
 * Hostile input: everything buffered is bounded (a frame head of at most 14
 * bytes, a control payload of at most 125); every violation is a
 * TSMPI_ERR_PROTOCOL error thrown from `push`, after which the reader ignores
 * all input (the caller drops the connection). Accepted leniently: masked or
 * unmasked frames in either direction (masking guards browsers' traffic
 * against proxies, RFC 6455 §10.3; tsmpi's peers are authenticated ranks).
 * Rejected: text messages, extensions (RSV bits), unknown opcodes, broken
 * fragmentation, oversized or fragmented control frames, lengths past 2^53-1.
 */
import { WS_MAX_CONTROL_PAYLOAD, WsOpcode } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';

export interface WsFrameEvents {
  /**
   * Payload bytes of binary messages, in order: those of `buf` from `start` to `end`, valid only
   * during the call (copy what you keep). A range, not a view: no object is made per frame.
   */
  data(buf: Buffer, start: number, end: number): void;
  /** A ping: answer with a pong carrying `payload`. */
  ping(payload: Buffer): void;
  /** The peer's close frame: nothing follows it. `code` is undefined when the frame had no body. */
  close(code: number | undefined, reason: string): void;
}

const State = { HEAD: 0, DATA: 1, CONTROL: 2, CLOSED: 3, FAILED: 4 } as const;

/** The longest frame head: 2 bytes, a 64-bit length, a 4-byte mask key. */
const MAX_HEAD_BYTES = 14;

/** Bytes of a frame head whose second byte is `b1`: 2, the extended length, the mask key. */
function headBytesOf(b1: number): number {
  const len7 = b1 & 0x7f;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (b1 & 0x80 ? 4 : 0);
}

export class WsFrameReader {
  private state: number = State.HEAD;
  /** A frame head cut between chunks, gathered here (a whole one is read in place). */
  private readonly head = Buffer.alloc(MAX_HEAD_BYTES);
  private have = 0;
  private opcode = 0;
  /** Payload bytes of the current frame not yet read. */
  private left = 0;
  private readonly key = Buffer.alloc(4);
  private masked = false;
  /** Offset within the payload, for the mask key's rotation. */
  private maskAt = 0;
  /** A binary message was started by a frame without FIN: continuation frames follow. */
  private fragmented = false;
  private control: Buffer | undefined;
  private controlHave = 0;

  constructor(private readonly events: WsFrameEvents) {}

  /** True when the input ended between frames and messages (a clean end). */
  get idle(): boolean { return (this.state === State.HEAD && this.have === 0 && !this.fragmented) || this.state === State.CLOSED; }

  /**
   * Feed the bytes of `chunk` from `start` to `end` (all of it by default).
   * Masked payloads are unmasked in place: `chunk` must be the reader's to
   * change (a socket's read buffer is). Nothing of it is kept after the call.
   */
  push(chunk: Buffer, start = 0, end = chunk.length): void {
    if (this.state >= State.CLOSED) return;
    try {
      this.consume(chunk, start, end);
    } catch (err) {
      this.state = State.FAILED;
      throw err;
    }
  }

  /**
   * Payload bytes of the current binary frame that may be read in place (straight into their
   * destination, skipping `push`): what is left of an unmasked frame, 0 for anything else.
   */
  get inPlaceRoom(): number {
    return this.state === State.DATA && !this.masked ? this.left : 0;
  }

  /** `n` bytes of the current frame's payload, at most `inPlaceRoom`, were read in place. */
  skip(n: number): void {
    this.left -= n;
    if (this.left === 0) this.state = State.HEAD;
  }

  private consume(chunk: Buffer, start: number, end: number): void {
    let off = start;
    while (off < end && this.state < State.CLOSED) {
      if (this.state === State.DATA) {
        const n = Math.min(end - off, this.left);
        if (this.masked) this.unmask(chunk, off, off + n);
        this.left -= n;
        if (this.left === 0) this.state = State.HEAD;
        off += n;
        this.events.data(chunk, off - n, off);
        continue;
      }
      if (this.state === State.CONTROL) {
        const n = Math.min(end - off, this.left);
        if (this.masked) this.unmask(chunk, off, off + n);
        this.control!.set(chunk.subarray(off, off + n), this.controlHave);
        this.controlHave += n; off += n; this.left -= n;
        if (this.left === 0) this.endControl();
        continue;
      }
      // HEAD. The first two bytes are checked once, and say how long the rest of the head is.
      let checked = false;
      if (this.have === 0 && end - off >= 2) {
        const b1 = chunk[off + 1]!;
        this.checkFirstBytes(chunk[off]!, b1);
        checked = true;
        const n = headBytesOf(b1);
        if (end - off >= n) {
          // The usual case: the whole head in this chunk, read in place (no copy).
          this.startPayload(chunk, off);
          off += n;
          continue;
        }
      }
      // A head cut between chunks: gathered in `head`.
      const want = this.have < 2 ? 2 : headBytesOf(this.head[1]!);
      const n = Math.min(end - off, want - this.have);
      chunk.copy(this.head, this.have, off, off + n);
      this.have += n; off += n;
      if (this.have === 2 && !checked) this.checkFirstBytes(this.head[0]!, this.head[1]!);
      if (this.have >= 2 && this.have === headBytesOf(this.head[1]!)) {
        this.have = 0;
        this.startPayload(this.head, 0);
      }
    }
  }

  /** Everything that the first two bytes can get wrong, checked before reading on. */
  private checkFirstBytes(b0: number, b1: number): void {
    const fin = (b0 & 0x80) !== 0, opcode = b0 & 0x0f;
    if (b0 & 0x70) throw fail(`frame with reserved bits set (0x${(b0 & 0x70).toString(16)}): the peer uses a WebSocket extension such as compression, which tsmpi does not negotiate`);
    if (opcode >= 0x8) {
      if (opcode !== WsOpcode.CLOSE && opcode !== WsOpcode.PING && opcode !== WsOpcode.PONG) throw fail(`unknown control opcode 0x${opcode.toString(16)}`);
      if (!fin) throw fail('fragmented control frame (RFC 6455 §5.5: control frames are never fragmented)');
      if ((b1 & 0x7f) > WS_MAX_CONTROL_PAYLOAD) throw fail(`control frame longer than ${WS_MAX_CONTROL_PAYLOAD} bytes`);
    } else if (opcode === WsOpcode.TEXT) {
      throw fail('text message: tsmpi ranks exchange binary WebSocket messages only');
    } else if (opcode === WsOpcode.BINARY) {
      if (this.fragmented) throw fail('a new message began before the fragmented one ended');
      this.fragmented = !fin;
    } else if (opcode === WsOpcode.CONTINUATION) {
      if (!this.fragmented) throw fail('continuation frame without a message to continue');
      this.fragmented = !fin;
    } else {
      throw fail(`unknown data opcode 0x${opcode.toString(16)}`);
    }
    this.opcode = opcode;
  }

  /** The checked head at `at` of `h` is complete: read its length and mask key, and start the payload. */
  private startPayload(h: Buffer, at: number): void {
    const b1 = h[at + 1]!;
    const len7 = b1 & 0x7f;
    let len = len7;
    at += 2;
    if (len7 === 126) { len = h.readUInt16BE(at); at += 2; }
    else if (len7 === 127) {
      const hi = h.readUInt32BE(at);
      // RFC 6455 §5.2: the most significant bit must be 0; JavaScript counts exactly to 2^53-1.
      if (hi > 0x1fffff) throw fail('frame length beyond 2^53-1 bytes');
      len = hi * 0x100000000 + h.readUInt32BE(at + 4);
      at += 8;
    }
    // An all-zero key (what tsmpi's own client sends) leaves the bytes as they are.
    this.masked = (b1 & 0x80) !== 0 && (h[at]! | h[at + 1]! | h[at + 2]! | h[at + 3]!) !== 0;
    if (this.masked) h.copy(this.key, 0, at, at + 4);
    this.left = len;
    this.maskAt = 0;
    if (this.opcode >= 0x8) {
      this.control = Buffer.alloc(len);
      this.controlHave = 0;
      this.state = State.CONTROL;
      if (len === 0) this.endControl();
    } else {
      this.state = len === 0 ? State.HEAD : State.DATA;
    }
  }

  private endControl(): void {
    const body = this.control!;
    this.control = undefined;
    this.state = State.HEAD;
    if (this.opcode === WsOpcode.PING) this.events.ping(body);
    else if (this.opcode === WsOpcode.CLOSE) {
      if (body.length === 1) throw fail('close frame with a 1-byte body (a status code takes 2)');
      this.state = State.CLOSED;
      this.events.close(body.length >= 2 ? body.readUInt16BE(0) : undefined, body.subarray(2).toString('utf8'));
    }
    // A pong answers nothing we asked: ignored.
  }

  /** Unmask `bytes[from..to)` in place, continuing the key's rotation. */
  private unmask(bytes: Buffer, from: number, to: number): void {
    const k = this.key;
    let m = this.maskAt;
    for (let i = from; i < to; i++, m++) bytes[i]! ^= k[m & 3]!;
    this.maskAt = m & 3;
  }
}

function fail(what: string) {
  return tsmpiError(ErrorCode.PROTOCOL, `WebSocket protocol error: ${what}. The peer is not a compatible tsmpi rank; the connection is dropped`);
}
