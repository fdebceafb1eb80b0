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
  /** Payload bytes of binary messages, in order. A view valid only during the call: copy what you keep. */
  data(bytes: Buffer): void;
  /** A ping: answer with a pong carrying `payload`. */
  ping(payload: Buffer): void;
  /** The peer's close frame: nothing follows it. `code` is undefined when the frame had no body. */
  close(code: number | undefined, reason: string): void;
}

const State = { HEAD: 0, DATA: 1, CONTROL: 2, CLOSED: 3, FAILED: 4 } as const;

/** The longest frame head: 2 bytes, a 64-bit length, a 4-byte mask key. */
const MAX_HEAD_BYTES = 14;

export class WsFrameReader {
  private state: number = State.HEAD;
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
   * Feed bytes from the socket. Masked payloads are unmasked in place: `chunk`
   * must be the reader's to change (a socket's read buffer is).
   */
  push(chunk: Buffer): void {
    if (this.state >= State.CLOSED) return;
    try {
      this.consume(chunk);
    } catch (err) {
      this.state = State.FAILED;
      throw err;
    }
  }

  private consume(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && this.state < State.CLOSED) {
      if (this.state === State.DATA) {
        const n = Math.min(chunk.length - off, this.left);
        const bytes = chunk.subarray(off, off + n);
        if (this.masked) this.unmask(bytes);
        off += n;
        this.left -= n;
        if (this.left === 0) this.state = State.HEAD;
        this.events.data(bytes);
        continue;
      }
      if (this.state === State.CONTROL) {
        const n = Math.min(chunk.length - off, this.left);
        const bytes = chunk.subarray(off, off + n);
        if (this.masked) this.unmask(bytes);
        this.control!.set(bytes, this.controlHave);
        this.controlHave += n; off += n; this.left -= n;
        if (this.left === 0) this.endControl();
        continue;
      }
      // HEAD: the first two bytes say how long the rest of the head is.
      const want = this.have < 2 ? 2 : this.headBytes();
      const n = Math.min(chunk.length - off, want - this.have);
      chunk.copy(this.head, this.have, off, off + n);
      this.have += n; off += n;
      if (this.have === 2) this.checkFirstBytes();
      if (this.have === this.headBytes()) this.startPayload();
    }
  }

  private headBytes(): number {
    const len7 = this.head[1]! & 0x7f;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (this.head[1]! & 0x80 ? 4 : 0);
  }

  /** Everything that the first two bytes can get wrong, checked before reading on. */
  private checkFirstBytes(): void {
    const b0 = this.head[0]!, b1 = this.head[1]!;
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

  private startPayload(): void {
    const len7 = this.head[1]! & 0x7f;
    let at = 2, len = len7;
    if (len7 === 126) { len = this.head.readUInt16BE(2); at = 4; }
    else if (len7 === 127) {
      const hi = this.head.readUInt32BE(2);
      // RFC 6455 §5.2: the most significant bit must be 0; JavaScript counts exactly to 2^53-1.
      if (hi > 0x1fffff) throw fail('frame length beyond 2^53-1 bytes');
      len = hi * 0x100000000 + this.head.readUInt32BE(6);
      at = 10;
    }
    this.masked = (this.head[1]! & 0x80) !== 0;
    if (this.masked) {
      this.head.copy(this.key, 0, at, at + 4);
      // An all-zero key (what tsmpi's own client sends) leaves the bytes as they are.
      if (this.key.readUInt32LE(0) === 0) this.masked = false;
    }
    this.have = 0;
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

  private unmask(bytes: Buffer): void {
    const k = this.key;
    let m = this.maskAt;
    for (let i = 0; i < bytes.length; i++, m++) bytes[i]! ^= k[m & 3]!;
    this.maskAt = m & 3;
  }
}

function fail(what: string) {
  return tsmpiError(ErrorCode.PROTOCOL, `WebSocket protocol error: ${what}. The peer is not a compatible tsmpi rank; the connection is dropped`);
}
