/**
 * A state machine that turns a byte stream into frames. Large payloads are
 * copied chunk by chunk straight into one buffer allocated from the length
 * prefix (never collected and concatenated), or read into it in place by the
 * socket (`directView`/`landed`), and every length is checked against its
 * limit before anything is allocated.
 */
import { DIRECT_READ_MIN_BYTES, FRAME_PREFIX_BYTES, MAX_BUFFER_BYTES, MAX_HEADER_BYTES } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { type FrameHeader, unpackHeader } from './header.js';
import { type Bytes, allocBytes, isUint8, WINDOW_BYTES } from '../codec/bytes.js';
import type { Claim } from '../transport/transport.js';

/** PENDING: a large payload whose destination is decided at the next read (see `startPayload`). */
const State = { PREFIX: 0, HEADER: 1, PAYLOAD: 2, PENDING: 3 } as const;

const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** Below this many bytes a loop copies faster than making a view to set() from. */
const LOOP_COPY_BYTES = 32;

function copyBytes(src: Uint8Array, from: number, n: number, dst: Uint8Array, at: number): void {
  if (n <= LOOP_COPY_BYTES) {
    for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
  } else {
    dst.set(from === 0 && n === src.length ? src : src.subarray(from, from + n), at);
  }
}

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
  /** PENDING: the payload bytes of the read that brought the header, kept until the destination is known. */
  private stash: Uint8Array | undefined;
  private stashed = 0;
  /**
   * Whether the last large payload went into a receive's buffer: only then is the next one held
   * back for a claim (a program receiving with `recv()` never claims, and would pay for nothing).
   */
  private claimedLast = true;

  /**
   * `views` sets where payloads switch to windowed filling (MAX_BUFFER_BYTES, and WINDOW_BYTES per
   * window); tests lower both to run that path at small sizes.
   */
  constructor(
    private readonly onFrame: FrameHandler,
    private readonly maxPayload: number,
    private readonly views = { max: MAX_BUFFER_BYTES, window: WINDOW_BYTES },
    private readonly claimer?: FrameClaimer,
    /** Least payload left for `directView` to offer a view (tests lower it). */
    private readonly directMin = DIRECT_READ_MIN_BYTES,
  ) {}

  /**
   * Feed the bytes of `chunk` from `start` to `end` (all of it by default);
   * throws a TSMPI_ERR_PROTOCOL error on garbage (the caller drops the
   * connection). Nothing of `chunk` is kept: it may be overwritten after the call.
   */
  push(chunk: Uint8Array, start = 0, end = chunk.length): void {
    if (this.failed) return;
    try {
      this.consume(chunk, start, end);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /**
   * Where the next bytes of the stream may be read in place: a view of the rest of the payload
   * being filled (of its current window), when at least `directMin` bytes of it are left;
   * otherwise undefined (read into a buffer of the caller's and `push` it). The view ends where
   * the payload does, so no byte of the next frame lands in it. Its bytes count once `landed`.
   */
  directView(): Uint8Array | undefined {
    if (this.state !== State.PAYLOAD || this.failed || this.payloadLen - this.filled < this.directMin) return undefined;
    let win = this.window!;
    if (this.filled - this.windowStart === win.byteLength) win = this.nextWindow();
    const at = this.filled - this.windowStart;
    const n = win.byteLength - at;
    if (n < this.directMin) return undefined;
    return new Uint8Array(win.buffer, win.byteOffset + at, n);
  }

  /** The first `n` bytes of the last `directView()` were written by the socket. */
  landed(n: number): void {
    if (this.failed) return;
    try {
      this.filled += n;
      if (this.filled === this.payloadLen) this.emit();
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /** True once garbage was seen (the connection is being dropped for it). */
  get broken(): boolean { return this.failed; }

  /** True when the stream ended between frames (a clean end). */
  get idle(): boolean { return this.state === State.PREFIX && this.have === 0; }

  private consume(chunk: Uint8Array, start: number, end: number): void {
    let off = start;
    if (this.state === State.PENDING) this.resolvePending();
    while (off < end) {
      if (this.state === State.PENDING) {
        // The header came in this read: keep the rest of it (less than the payload) for later.
        const n = end - off;
        if (!this.stash || this.stash.byteLength < n) this.stash = new Uint8Array(Math.max(n, 2 * (this.stash?.byteLength ?? 0)));
        copyBytes(chunk, off, n, this.stash, 0);
        this.stashed = n;
        break;
      }
      if (this.state === State.PAYLOAD) {
        let win = this.window!;
        if (this.filled - this.windowStart === win.byteLength) win = this.nextWindow();
        const n = Math.min(end - off, this.windowStart + win.byteLength - this.filled);
        copyBytes(chunk, off, n, win, this.filled - this.windowStart);
        this.filled += n; off += n;
        if (this.filled === this.payloadLen) this.emit();
        continue;
      }
      if (this.state === State.PREFIX && this.have === 0 && end - off >= FRAME_PREFIX_BYTES) {
        // The usual case: the whole prefix, and mostly the header, in this chunk: read in place (no copy).
        this.readPrefix(chunk, off);
        off += FRAME_PREFIX_BYTES;
        if (end - off >= this.headerLen) {
          off += this.headerLen;
          this.startPayload(unpackHeader(chunk, off - this.headerLen, this.headerLen), end - off);
        } else {
          this.state = State.HEADER;
          this.have = FRAME_PREFIX_BYTES;
        }
        continue;
      }
      // A prefix or header cut between chunks: gathered in `small`.
      const want = this.state === State.PREFIX ? FRAME_PREFIX_BYTES : FRAME_PREFIX_BYTES + this.headerLen;
      const n = Math.min(end - off, want - this.have);
      copyBytes(chunk, off, n, this.small, this.have);
      this.have += n; off += n;
      if (this.have < want) continue;
      if (this.state === State.PREFIX) {
        this.readPrefix(this.small, 0);
        this.state = State.HEADER;
      } else {
        this.startPayload(unpackHeader(this.small, FRAME_PREFIX_BYTES, this.headerLen), end - off);
      }
    }
  }

  /** Read and check the lengths at `at` (before anything is allocated for them). */
  private readPrefix(b: Uint8Array, at: number): void {
    this.headerLen = u32le(b, at);
    this.payloadLen = u32le(b, at + 4) + u32le(b, at + 8) * 0x100000000;
    if (this.headerLen === 0 || this.headerLen > MAX_HEADER_BYTES) {
      throw tsmpiError(ErrorCode.PROTOCOL, `frame header of ${this.headerLen} bytes (limit ${MAX_HEADER_BYTES}): the peer is not a compatible tsmpi rank`);
    }
    if (this.payloadLen > this.maxPayload) {
      throw tsmpiError(ErrorCode.PROTOCOL, `frame payload of ${this.payloadLen} bytes exceeds the limit of ${this.maxPayload} (raise TSMPI_MAX_MESSAGE if this is intended)`);
    }
  }

  /**
   * The header is read, with `avail` bytes of the stream after it in this read: find the payload's
   * destination, or hand over a frame without payload.
   *
   * A large payload that no receive claims yet, and that does not end in this read, is held back
   * (PENDING) until the next read: a program that receives in a loop (`await Recv(buf)` back to back)
   * posts its next receive in a microtask, which runs only after this read's callback returns, while
   * the next message's header often comes in the same read as the end of the one before. Claimed
   * at the next read instead, the payload goes straight into the program's array; before, a third to
   * a half of the messages of a stream of 16 MiB `Send`/`Recv` went into a fresh 16 MiB buffer and
   * were copied again at the `Recv`. The cost: the bytes of this read behind the header are copied
   * once more, and the next read goes through the read buffer (`directView` offers nothing); so only
   * while the connection's last large payload was claimed (a `recv()` loop never claims: ~45 k more
   * user instructions per 1 MiB round trip when it was held back too).
   */
  private startPayload(header: FrameHeader, avail: number): void {
    this.header = header;
    this.filled = 0;
    // Straight into a waiting receive's buffer when one claims it, else fresh bytes
    // (8-byte aligned: every typed-array view into them is aligned).
    this.claim = this.payloadLen > 0 && this.claimer ? this.claimer(header, this.payloadLen) : undefined;
    if (this.claim === undefined && this.claimedLast && this.claimer && this.payloadLen >= this.directMin && avail < this.payloadLen) {
      this.state = State.PENDING;
      this.stashed = 0;
      return;
    }
    this.place();
    if (this.payloadLen === 0) this.emit(); else this.state = State.PAYLOAD;
  }

  /** The payload's buffer: the claim's, or fresh. */
  private place(): void {
    if (this.payloadLen >= this.directMin) this.claimedLast = this.claim !== undefined;
    // An empty payload (a collective's signal) is a fresh empty array: a view into the slab costs ~10x more.
    const payload = this.claim?.bytes ?? (this.payloadLen === 0 ? new Uint8Array(0) : allocBytes(this.payloadLen, this.views.max));
    this.payload = payload;
    this.windowStart = 0;
    this.window = isUint8(payload) ? payload : new Uint8Array(payload.buffer, payload.byteOffset, Math.min(this.views.window, this.payloadLen));
  }

  /** A read after the one that brought a PENDING header: claim again, then fill in what was kept. */
  private resolvePending(): void {
    this.claim = this.claimer!(this.header!, this.payloadLen);
    this.place();
    this.state = State.PAYLOAD;
    const n = this.stashed;
    this.stashed = 0;
    if (n > 0) this.consume(this.stash!, 0, n);
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
