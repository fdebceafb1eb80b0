/**
 * A transport over byte streams (TCP, Unix sockets, WebSocket streams).
 * A connection is opened lazily, on the first send to a peer, and then
 * serves both directions (replies ride with the TCP acknowledgements). Each
 * rank sends to a peer on exactly one connection — its own, or the peer's if
 * that came first — so every (sender, receiver) pair stays in order without
 * tie-breaking between simultaneous connects.
 */
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { CLAIM_MIN_BYTES } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { encodeFrameHead, INLINE_PAYLOAD_BYTES } from '../wire/frame-encoder.js';
import { FrameDecoder } from '../wire/frame-decoder.js';
import { frameWritten, retireFrameSlab } from '../wire/frame-slab.js';
import { acceptHandshake, connectHandshake } from '../wire/handshake.js';
import type { FrameHeader } from '../wire/header.js';
import { Direct, writeDirect, writevDirect } from './direct-writes.js';
import { readDirectly } from './reused-reads.js';
import { type Card, SENT, type Transport, type TransportEvents } from './transport.js';

/** The part that differs between stream kinds: how to listen and how to dial. */
export interface Dialer {
  listen(onStream: (stream: Duplex) => void): Promise<Card>;
  connect(card: Card, own: Card): Promise<Duplex>;
  close(): Promise<void>;
  /** Largest single write; bigger parts are split (WebSocket messages). */
  readonly maxWrite: number;
  /**
   * Bytes to leave free in front of each small frame, when its streams are
   * RoomWriters that put a head of their own there (ws); none by default.
   */
  readonly headRoom?: number;
}

/** A stream that frames each write itself (ws-stream.ts), and can do so in place. */
export interface RoomWriter {
  /**
   * Write `frame` after the free `room` bytes at its front, which the stream
   * may fill with its own head. WRITTEN: the kernel took it (`done` is not
   * called); PENDING: `done` will be called. Never NO.
   */
  writeInRoom(frame: Buffer, room: number, done: (err?: Error | null) => void): Direct;
}

export interface StreamTransportOptions {
  rank: number;
  /** The job's size: a peer proves a rank in 0..size-1 (known before the address table arrives). */
  size: number;
  secret: Buffer;
  maxPayload: number;
  dialer: Dialer;
  events: TransportEvents;
}

interface OutLink { ready: Promise<Duplex>; stream?: Duplex }

/** The parts left to write after an inline frame: none (one shared empty list, not one per message). */
const NO_PARTS: readonly Uint8Array[] = [];


export class StreamTransport implements Transport {
  private peers: Card[] = [];
  private own: Card | undefined;
  private readonly out = new Map<number, OutLink>();
  /** Every open connection, either direction (closed at finalize). */
  private readonly streams = new Set<Duplex>();
  private closing = false;
  /** Writes not yet handed to the operating system; flush() waits for 0. */
  private unwritten = 0;
  private drained: (() => void)[] = [];

  /** Free bytes in front of each small frame (Dialer.headRoom). */
  private readonly room: number;

  constructor(private readonly o: StreamTransportOptions) {
    this.room = o.dialer.headRoom ?? 0;
  }

  async listen(): Promise<Card> {
    this.own = await this.o.dialer.listen((s) => this.accept(s));
    return this.own;
  }

  setPeers(cards: Card[]): void { this.peers = cards; }

  private accept(stream: Duplex): void {
    if (this.closing) { stream.destroy(); return; }
    this.streams.add(stream);
    stream.on('close', () => this.streams.delete(stream));
    stream.on('error', () => { /* strangers are simply dropped; a peer's failure reaches us through the launcher */ });
    acceptHandshake(stream, this.o.secret).then(({ id, rest }) => {
      // Against the job's size, not the address table: a peer that got its table first may
      // connect before this rank has its own (refusing it then silently lost its first frames).
      if (id < 0 || id >= this.o.size || id === this.o.rank) {
        stream.destroy();
        return;
      }
      this.attach(stream, id, rest);
      // The connection serves both directions: unless this rank already has its own
      // link to the peer (both dialled at once), it sends on this one too. Each side
      // keeps the one link it chose, so each direction stays in order.
      if (!this.out.has(id)) this.out.set(id, { ready: Promise.resolve(stream), stream });
    }, () => { /* failed authentication: the connection is already closed; the job goes on */ });
  }

  /** Read frames from `peer` on an authenticated connection (either direction). */
  private attach(stream: Duplex, peer: number, rest: Buffer): void {
    const decoder = new FrameDecoder((header, payload, claim) => {
      if (header.src !== peer) throw tsmpiError(ErrorCode.PROTOCOL, `rank ${peer} sent a frame claiming to come from rank ${header.src}`);
      this.o.events.onFrame(header, payload, claim);
    }, this.o.maxPayload, undefined, (header, n) => (n >= CLAIM_MIN_BYTES && header.src === peer ? this.o.events.claim?.(header, n) : undefined));
    const fail = (err: unknown) => {
      stream.destroy();
      this.o.events.onFatal(tsmpiError(ErrorCode.PROTOCOL, `protocol error on the connection with rank ${peer}: ${(err as Error).message}`, err));
    };
    const feed = (chunk: Uint8Array, end: number, start?: number) => {
      try {
        decoder.push(chunk, start, end);
      } catch (err) { fail(err); }
    };
    // Large payloads are read in place (no copy out of the read buffer).
    const target = {
      next: () => decoder.directView(),
      landed: (n: number) => {
        try {
          decoder.landed(n);
        } catch (err) { fail(err); }
      },
    };
    // Net sockets and the ws stream hand their reads straight to the decoder; other streams through 'data'.
    if (!readDirectly(stream, feed, target)) stream.on('data', (chunk: Uint8Array) => feed(chunk, chunk.length));
    stream.on('close', () => {
      // Cut in the middle of a frame: never wait for the rest of a message that cannot come.
      if (!decoder.idle && !decoder.broken && !this.closing) {
        this.o.events.onFatal(tsmpiError(ErrorCode.RANK_FAILED, `the connection with rank ${peer} closed in the middle of a message: that rank has probably died (its launcher reports why), or it is not a compatible tsmpi rank`));
      }
      // A later send to this peer dials again (and fails clearly if the peer is gone).
      const l = this.out.get(peer);
      if (l?.stream === stream) this.out.delete(peer);
    });
    if (rest.length) feed(rest, rest.length);
  }

  private link(dest: number): OutLink {
    let l = this.out.get(dest);
    if (l) return l;
    const card = this.peers[dest];
    if (!card || !this.own) throw tsmpiError(ErrorCode.INTERNAL, `no address known for rank ${dest}`);
    const link: OutLink = { ready: undefined as unknown as Promise<Duplex> };
    link.ready = (async () => {
      let stream: Duplex;
      try {
        stream = await this.o.dialer.connect(card, this.own!);
        this.streams.add(stream);
        stream.on('close', () => this.streams.delete(stream));
        // Failures show as failed writes (RANK_FAILED); a dead peer is the launcher's to report.
        stream.on('error', () => {});
        const { rest } = await connectHandshake(stream, this.o.secret, this.o.rank);
        this.attach(stream, dest, rest);
      } catch (err) {
        if (this.out.get(dest) === link) this.out.delete(dest);
        throw tsmpiError(ErrorCode.RANK_FAILED, `cannot reach rank ${dest}: ${(err as Error).message}. The rank may have exited; its launcher reports why`, err);
      }
      link.stream = stream;
      return stream;
    })();
    link.ready.catch(() => {});
    this.out.set(dest, link);
    return link;
  }

  send(dest: number, header: FrameHeader, parts: readonly Uint8Array[], byteLength: number): Promise<void> {
    if (this.closing) return Promise.reject(tsmpiError(ErrorCode.STATE, 'send after finalize'));
    const link = this.link(dest);
    const small = byteLength <= INLINE_PAYLOAD_BYTES;
    // A small frame written now goes into the reused frame buffer (wire/frame-slab.ts); write() retires it if kept.
    const head = small ? encodeFrameHead(header, byteLength, parts, this.room, link.stream !== undefined) : encodeFrameHead(header, byteLength);
    const rest = small ? NO_PARTS : parts;
    if (link.stream) return this.write(link.stream, head, rest, small);
    this.unwritten++;
    return link.ready.then(
      (s) => { this.unwritten--; return this.write(s, head, rest, small); },
      (e) => { this.settle(); throw e; },
    );
  }

  private readonly settleWrite = () => this.settle();

  private settle(): void {
    if (--this.unwritten === 0) for (const f of this.drained.splice(0)) f();
  }

  /**
   * Write a frame: the head (with the payload when `inline`), then each large
   * part as it is (no copy), in one vectored write. An inline frame owes nothing
   * to the caller's memory, so it resolves at once; otherwise once the kernel
   * has taken every byte.
   */
  private write(s: Duplex, head: Buffer, parts: readonly Uint8Array[], inline: boolean): Promise<void> {
    if (inline) {
      // The common small message: one buffer of our own, nothing to wait for (no promise of its own).
      // Straight to the socket's handle when its Writable is empty (direct-writes.ts).
      const d = this.room ? (s as unknown as RoomWriter).writeInRoom(head, this.room, this.settleWrite) : writeDirect(s as net.Socket, head, this.settleWrite);
      if (d === Direct.WRITTEN) { frameWritten(); return SENT; }
      // Kept to be written later: its memory (maybe the reused frame buffer's) must stay as it is.
      retireFrameSlab();
      this.unwritten++;
      if (d === Direct.NO) s.write(head, this.settleWrite);
      return SENT;
    }
    this.unwritten++;
    const max = this.o.dialer.maxWrite;
    // Head and parts as one vectored write straight to the socket's handle (direct-writes.ts) when
    // no part needs splitting; else, or where the handle cannot take it, corked writes to the stream.
    if (!this.room && parts.every((p) => p.byteLength <= max)) {
      let settled: ((err?: Error | null) => void) | undefined;
      const d = writevDirect(s as net.Socket, [head, ...parts], (err) => settled!(err));
      if (d === Direct.WRITTEN) { this.settle(); return SENT; }
      if (d === Direct.PENDING) return new Promise((resolve, reject) => { settled = this.finisher(resolve, reject); });
    }
    return new Promise((resolve, reject) => {
      const done = this.finisher(resolve, reject);
      const pending: Uint8Array[] = [];
      for (const p of parts) {
        if (p.byteLength === 0) continue;
        if (p.byteLength <= max) pending.push(p);
        else for (let o = 0; o < p.byteLength; o += max) pending.push(p.subarray(o, Math.min(o + max, p.byteLength)));
      }
      s.cork();
      s.write(head);
      const last = pending.pop();
      for (const p of pending) s.write(p);
      if (last) s.write(last, done); else s.write(Buffer.alloc(0), done);
      s.uncork();
    });
  }

  /** The end of a frame's write: counted as written, and its promise settled. */
  private finisher(resolve: () => void, reject: (err: Error) => void): (err?: Error | null) => void {
    return (err) => {
      this.settle();
      if (err) reject(tsmpiError(ErrorCode.RANK_FAILED, `write failed: ${err.message}`, err)); else resolve();
    };
  }

  flush(): Promise<void> {
    if (this.unwritten === 0) return Promise.resolve();
    return new Promise((r) => this.drained.push(r));
  }

  async close(): Promise<void> {
    this.closing = true;
    // End what this rank sent (every rank flushed before the closing barrier), then drop the rest.
    const ends = [...this.out.values()].map(async (l) => {
      const s = await l.ready.catch(() => undefined);
      if (!s) return;
      await new Promise<void>((resolve) => { s.end(() => resolve()); setTimeout(resolve, 1000).unref(); });
    });
    await Promise.all(ends);
    for (const s of this.streams) s.destroy();
    await this.o.dialer.close();
  }
}
