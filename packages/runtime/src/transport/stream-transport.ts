/**
 * A transport over byte streams (TCP, Unix sockets, WebSocket streams).
 * Each rank sends on the one connection it opened to a peer (opened lazily,
 * on first send) and receives on connections peers opened to it; one
 * connection per direction keeps every (sender, receiver) pair in order
 * without any tie-breaking between simultaneous connects.
 */
import type { Duplex } from 'node:stream';
import { ErrorCode, tsmpiError } from '../errors.js';
import { encodeFrameHead } from '../wire/frame-encoder.js';
import { FrameDecoder } from '../wire/frame-decoder.js';
import { acceptHandshake, connectHandshake } from '../wire/handshake.js';
import type { FrameHeader } from '../wire/header.js';
import type { Card, Transport, TransportEvents } from './transport.js';

/** The part that differs between stream kinds: how to listen and how to dial. */
export interface Dialer {
  listen(onStream: (stream: Duplex) => void): Promise<Card>;
  connect(card: Card, own: Card): Promise<Duplex>;
  close(): Promise<void>;
  /** Largest single write; bigger parts are split (WebSocket messages). */
  readonly maxWrite: number;
}

export interface StreamTransportOptions {
  rank: number;
  secret: Buffer;
  maxPayload: number;
  dialer: Dialer;
  events: TransportEvents;
}

interface OutLink { ready: Promise<Duplex>; stream?: Duplex }

export class StreamTransport implements Transport {
  private peers: Card[] = [];
  private own: Card | undefined;
  private readonly out = new Map<number, OutLink>();
  private readonly incoming = new Set<Duplex>();
  private closing = false;

  constructor(private readonly o: StreamTransportOptions) {}

  async listen(): Promise<Card> {
    this.own = await this.o.dialer.listen((s) => this.accept(s));
    return this.own;
  }

  setPeers(cards: Card[]): void { this.peers = cards; }

  private accept(stream: Duplex): void {
    if (this.closing) { stream.destroy(); return; }
    this.incoming.add(stream);
    stream.on('close', () => this.incoming.delete(stream));
    stream.on('error', () => { /* reported through 'close'; strangers are simply dropped */ });
    acceptHandshake(stream, this.o.secret).then(({ id, rest }) => {
      const decoder = new FrameDecoder((header, payload) => {
        if (header.src !== id) throw tsmpiError(ErrorCode.PROTOCOL, `rank ${id} sent a frame claiming to come from rank ${header.src}`);
        this.o.events.onFrame(header, payload);
      }, this.o.maxPayload);
      const feed = (chunk: Uint8Array) => {
        try {
          decoder.push(chunk);
        } catch (err) {
          stream.destroy();
          this.o.events.onFatal(tsmpiError(ErrorCode.PROTOCOL, `protocol error on the connection from rank ${id}: ${(err as Error).message}`, err));
        }
      };
      stream.on('data', feed);
      if (rest.length) feed(rest);
    }, () => { /* failed authentication: the connection is already closed; the job goes on */ });
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
          const { rest } = await connectHandshake(stream, this.o.secret, this.o.rank);
          void rest;
        } catch (err) {
          throw tsmpiError(ErrorCode.RANK_FAILED, `cannot reach rank ${dest}: ${(err as Error).message}. The rank may have exited; its launcher reports why`, err);
        }
        stream.on('error', (err) => {
          if (!this.closing) this.o.events.onFatal(tsmpiError(ErrorCode.RANK_FAILED, `connection to rank ${dest} failed: ${err.message}`, err));
        });
        // The acceptor never sends frames on this connection; drain so nothing piles up.
        stream.resume();
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
    const head = encodeFrameHead(header, byteLength);
    if (link.stream) return this.write(link.stream, head, parts);
    return link.ready.then((s) => this.write(s, head, parts));
  }

  private write(s: Duplex, head: Buffer, parts: readonly Uint8Array[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error | null) => (err ? reject(tsmpiError(ErrorCode.RANK_FAILED, `write failed: ${err.message}`, err)) : resolve());
      const max = this.o.dialer.maxWrite;
      s.cork();
      let last: Uint8Array = head;
      const pending: Uint8Array[] = [];
      for (const p of parts) {
        if (p.byteLength === 0) continue;
        if (p.byteLength <= max) pending.push(p);
        else for (let o = 0; o < p.byteLength; o += max) pending.push(p.subarray(o, Math.min(o + max, p.byteLength)));
      }
      if (pending.length === 0) { s.write(head, done); s.uncork(); return; }
      s.write(head);
      last = pending.pop()!;
      for (const p of pending) s.write(p);
      s.write(last, done);
      s.uncork();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const ends = [...this.out.values()].map(async (l) => {
      const s = await l.ready.catch(() => undefined);
      if (!s) return;
      await new Promise<void>((resolve) => { s.end(() => resolve()); setTimeout(resolve, 1000).unref(); });
      s.destroy();
    });
    await Promise.all(ends);
    for (const s of this.incoming) s.destroy();
    await this.o.dialer.close();
  }
}
