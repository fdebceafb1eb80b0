/**
 * A state machine that turns a byte stream into frames. Large payloads are
 * copied chunk by chunk straight into one buffer allocated from the length
 * prefix (never collected and concatenated), and every length is checked
 * against its limit before anything is allocated.
 */
import { FRAME_PREFIX_BYTES, MAX_BUFFER_BYTES, MAX_HEADER_BYTES } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { type FrameHeader, unpackHeader } from './header.js';
import { type Bytes, allocBytes, isUint8, WINDOW_BYTES } from '../codec/bytes.js';
import type { Claim } from '../transport/transport.js';

const State = { PREFIX: 0, HEADER: 1, PAYLOAD: 2 } as const;

export type FrameHandler = (header: FrameHeader, payload: Bytes, claim?: Claim) => void;
/** Asked once a frame's header is read: where its payload should go (undefined: a fresh buffer). */
export type FrameClaimer = (header: FrameHeader, byteLength: number) => Claim | undefined;

export class FrameDecoder {
  private state: number = State.PREFIX;
  private small = Buffer.allocUnsafe(FRAME_PREFIX_BYTES + MAX_HEADER_BYTES);
  private have = 0;
  private headerLen = 0;
  private payloadLen = 0;
  private header: FrameHeader | undefined;
  private payload: Bytes | undefined;
  private claim: Claim | undefined;
  /** The window of the payload being filled (all of it up to 4 GiB), and where it starts. */
  private window: Uint8Array | undefined;
  private windowStart = 0;
  private filled = 0;
  private failed = false;

  /**
   * `views` sets where payloads switch to windowed filling (MAX_BUFFER_BYTES, and WINDOW_BYTES per
   * window); tests lower both to run that path at small sizes.
   */
  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxPayload: number,
    private readonly views = { max: MAX_BUFFER_BYTES, window: WINDOW_BYTES },
    private readonly claimer?: FrameClaimer,
  ) {}

  /** Feed bytes; throws a TSMPI_ERR_PROTOCOL error on garbage (the caller drops the connection). */
  push(chunk: Uint8Array): void {
    if (this.failed) return;
    try {
      this.consume(chunk);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /** True once garbage was seen (the connection is being dropped for it). */
  get broken(): boolean { return this.failed; }

  /** True when the stream ended between frames (a clean end). */
  get idle(): boolean { return this.state === State.PREFIX && this.have === 0; }

  private consume(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.state === State.PAYLOAD) {
        let win = this.window!;
        if (this.filled - this.windowStart === win.byteLength) win = this.nextWindow();
        const n = Math.min(chunk.length - off, this.windowStart + win.byteLength - this.filled);
        win.set(chunk.subarray(off, off + n), this.filled - this.windowStart);
        this.filled += n; off += n;
        if (this.filled === this.payloadLen) this.emit();
        continue;
      }
      const want = this.state === State.PREFIX ? FRAME_PREFIX_BYTES : FRAME_PREFIX_BYTES + this.headerLen;
      const n = Math.min(chunk.length - off, want - this.have);
      this.small.set(chunk.subarray(off, off + n), this.have);
      this.have += n; off += n;
      if (this.have < want) continue;
      if (this.state === State.PREFIX) {
        this.headerLen = this.small.readUInt32LE(0);
        this.payloadLen = this.small.readUInt32LE(4) + this.small.readUInt32LE(8) * 0x100000000;
        if (this.headerLen === 0 || this.headerLen > MAX_HEADER_BYTES) {
          throw tsmpiError(ErrorCode.PROTOCOL, `frame header of ${this.headerLen} bytes (limit ${MAX_HEADER_BYTES}): the peer is not a compatible tsmpi rank`);
        }
        if (this.payloadLen > this.maxPayload) {
          throw tsmpiError(ErrorCode.PROTOCOL, `frame payload of ${this.payloadLen} bytes exceeds the limit of ${this.maxPayload} (raise TSMPI_MAX_MESSAGE if this is intended)`);
        }
        this.state = State.HEADER;
      } else {
        this.header = unpackHeader(this.small.subarray(FRAME_PREFIX_BYTES, want));
        // A fresh, zero-offset buffer: every typed-array view into it is aligned.
        // Straight into a waiting receive's buffer when one claims it, else a fresh buffer.
        this.claim = this.payloadLen > 0 ? this.claimer?.(this.header, this.payloadLen) : undefined;
        const payload = this.claim?.bytes ?? allocBytes(this.payloadLen, this.views.max);
        this.payload = payload;
        this.filled = 0;
        this.windowStart = 0;
        this.window = isUint8(payload) ? payload : new Uint8Array(payload.buffer, payload.byteOffset, Math.min(this.views.window, this.payloadLen));
        if (this.payloadLen === 0) this.emit(); else this.state = State.PAYLOAD;
      }
    }
  }

  /** Payloads above MAX_BUFFER_BYTES are filled one WINDOW_BYTES view at a time. */
  private nextWindow(): Uint8Array {
    this.windowStart += this.window!.byteLength;
    this.window = new Uint8Array(this.payload!.buffer, this.payload!.byteOffset + this.windowStart, Math.min(this.views.window, this.payloadLen - this.windowStart));
    return this.window;
  }

  private emit(): void {
    const header = this.header!, payload = this.payload!, claim = this.claim;
    this.state = State.PREFIX; this.have = 0; this.header = undefined; this.payload = undefined; this.window = undefined; this.claim = undefined;
    this.onFrame(header, payload, claim);
  }
}
