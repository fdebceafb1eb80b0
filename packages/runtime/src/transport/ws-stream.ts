/**
 * A WebSocket as a byte stream, framed by tsmpi itself on the raw socket
 * (ws-frame-reader.ts, ws-frame-writer.ts) once `ws` has done the upgrade.
 *
 * Reading: the socket's reads (the same reused read buffer as the TCP and
 * Unix transports, transport/reused-reads.ts) go from its `onread` callback
 * straight into the frame reader, and the payload bytes of the peer's binary
 * frames from there to whoever reads this stream: as 'data' events (the
 * handshake), or, once the frame decoder takes the reads over with
 * `readDirectly`, as ranges of the read buffer passed to it (no event, no
 * Buffer view per frame). Either way **a chunk is valid only during the
 * call**, as on those sockets; the frame decoder copies each into its message
 * at once. No message is ever reassembled in between. The payload of a large
 * unmasked frame (tsmpi's client masks with a zero key, which counts as
 * unmasked) is read by the socket straight into its message when the frame
 * decoder offers a place for it (reused-reads.ts, DirectTarget).
 * Writing: each write (or corked batch) becomes one binary frame; small ones
 * are copied behind their head and go out as one buffer, straight to the
 * socket's handle when nothing is queued (transport/direct-writes.ts).
 * Control frames: a ping is answered with a pong, a close with a close (and
 * the stream ends); `end()` sends a close frame before the socket's FIN.
 */
import type net from 'node:net';
import { Duplex } from 'node:stream';
import { DIRECT_READ_MIN_BYTES, WsCloseCode, WsOpcode } from '../constants.js';
import { Direct, writeDirect } from './direct-writes.js';
import { readDirectly, routeReads } from './reused-reads.js';
import type { RoomWriter } from './stream-transport.js';
import { WsFrameReader } from './ws-frame-reader.js';
import { binaryFrame, binaryHead, closeFrame, pongFrame, wsHeadBytes, writeWsHead } from './ws-frame-writer.js';

/**
 * Batches up to this size are copied behind their frame head and written as
 * one buffer (one write beats a vectored one for small messages); larger ones
 * go out as head + parts without a copy.
 */
const COPY_BELOW = 64 * 1024;
/** How long a connection dropped for a protocol error may take to deliver its close frame. */
const LINGER_MS = 1000;

export class WsByteStream extends Duplex implements RoomWriter {
  private readonly reader: WsFrameReader;
  /** Where the payload goes once a reader took it over (`readDirectly`), else (null) 'data' events. */
  private readonly route = routeReads(this);
  private closeSent = false;
  /** Payload that arrived with the upgrade, held until the stream's first listeners are attached. */
  private held: Buffer[] | undefined;

  /**
   * @param socket the upgraded connection, no longer read by anyone else
   * @param masked true on the client side: frames carry a (zero) mask key
   * @param buffered bytes already read from the socket after the upgrade response
   */
  constructor(private readonly socket: net.Socket, private readonly masked: boolean, buffered?: Buffer) {
    super();
    this.reader = new WsFrameReader({
      data: (buf, start, end) => {
        const sink = this.route.sink;
        if (this.held) this.held.push(Buffer.from(buf.subarray(start, end)));
        else if (sink) sink(buf, end, start);
        else this.emit('data', buf.subarray(start, end));
      },
      ping: (payload) => { if (!this.closeSent) socket.write(pongFrame(payload, masked)); },
      close: () => {
        this.sendClose(WsCloseCode.NORMAL);
        this.push(null);
      },
    });
    // Straight from the socket's onread when it has reused reads (ws-takeover.ts moves it to one).
    // A large unmasked frame's payload goes from the socket straight into place when the reader of
    // this stream offers a place for it (the frame decoder, in the middle of a large payload).
    const target = {
      next: (): Uint8Array | undefined => {
        const room = this.reader.inPlaceRoom, down = this.route.target;
        if (room < DIRECT_READ_MIN_BYTES || down === null || this.held) return undefined;
        const v = down.next();
        return v !== undefined && v.byteLength > room ? v.subarray(0, room) : v;
      },
      landed: (n: number) => {
        this.reader.skip(n);
        this.route.target!.landed(n);
      },
    };
    if (!readDirectly(socket, (buf, n) => this.feed(buf, 0, n), target)) socket.on('data', (chunk: Buffer) => this.feed(chunk, 0, chunk.length));
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
    if (buffered?.length) {
      // Whoever takes this stream attaches its listeners after the constructor returns (at
      // the latest in a promise continuation): hand these over once that has happened. The
      // socket's next read cannot come sooner, and would queue behind them if it did.
      this.held = [];
      this.feed(buffered, 0, buffered.length);
      setImmediate(() => {
        const held = this.held!;
        this.held = undefined;
        for (const b of held) if (!this.destroyed) this.emit('data', b);
      });
    }
  }

  /** True when the peer's input ended between WebSocket frames. */
  get framingIdle(): boolean { return this.reader.idle; }

  private feed(chunk: Buffer, start: number, end: number): void {
    try {
      this.reader.push(chunk, start, end);
    } catch (err) {
      // Tell the peer why (status 1002), then drop the connection.
      this.sendClose(WsCloseCode.PROTOCOL_ERROR);
      setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
      this.destroy(err as Error);
    }
  }

  private sendClose(code: number, done?: (err?: Error | null) => void): void {
    if (this.closeSent) { done?.(); return; }
    this.closeSent = true;
    this.socket.end(closeFrame(code, this.masked), done);
  }

  override _read(): void {
    // Reads are pushed by the socket: nothing to ask for.
  }

  /** Nothing queued or corked in this stream, and it is open: a frame may bypass its Writable. */
  private get writesNow(): boolean {
    return this.writableLength === 0 && !this.writableCorked && !this.writableEnded && !this.destroyed;
  }

  /**
   * The common small write, when nothing is queued or corked before it: framed and handed to
   * the socket at once, skipping this stream's Writable machinery (its queue and its deferred
   * callback), and the socket's too when nothing is queued there (direct-writes.ts). The copy
   * owes nothing to the caller's memory, so the callback runs at once (synchronously: tsmpi's
   * transport only counts it) unless libuv still holds part of the frame or the write failed.
   */
  override write(chunk: Buffer, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean {
    if (chunk.byteLength < COPY_BELOW && this.writesNow) {
      const done = typeof encoding === 'function' ? encoding : cb;
      return this.writeOwn(binaryFrame(chunk, this.masked), done);
    }
    return super.write(chunk, encoding as BufferEncoding, cb);
  }

  /**
   * A small frame of the transport's (stream-transport.ts), with `room` free bytes in front:
   * its WebSocket head goes right before it, and it is written as the `write` above would,
   * without a second buffer and copy per message (1.7 k instructions each, measured alone).
   * `done` is never called before this returns (StreamTransport counts PENDING writes after).
   */
  writeInRoom(frame: Buffer, room: number, done: (err?: Error | null) => void): Direct {
    const n = frame.length - room;
    const h = wsHeadBytes(n, this.masked);
    if (h > room || !this.writesNow) {
      // Behind what this stream holds (or a frame too long for the room): queued in order.
      // Writable calls back later even when the write completes at once.
      super.write(frame.subarray(room), done);
      return Direct.PENDING;
    }
    const at = room - h;
    writeWsHead(frame, at, WsOpcode.BINARY, n, this.masked);
    const out = at === 0 ? frame : frame.subarray(at);
    const d = writeDirect(this.socket, out, done);
    if (d !== Direct.NO) return d;
    this.socket.write(out, done);
    return Direct.PENDING;
  }

  /** A frame in a buffer of our own to the socket: to its handle if it can take it now, else queued. */
  private writeOwn(frame: Buffer, done: ((err?: Error | null) => void) | undefined): boolean {
    const d = writeDirect(this.socket, frame, done);
    if (d === Direct.PENDING) return true;
    const ok = d === Direct.WRITTEN || this.socket.write(frame);
    done?.();
    return ok;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.writeFrame([chunk], chunk.byteLength, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    let n = 0;
    const parts = chunks.map((c) => { n += c.chunk.byteLength; return c.chunk; });
    this.writeFrame(parts, n, callback);
  }

  /** `parts` as one binary frame of `n` bytes. */
  private writeFrame(parts: Buffer[], n: number, callback: (err?: Error | null) => void): void {
    const s = this.socket;
    if (n < COPY_BELOW) {
      const out = Buffer.allocUnsafe(wsHeadBytes(n, this.masked) + n);
      let at = writeWsHead(out, 0, WsOpcode.BINARY, n, this.masked);
      for (const p of parts) { out.set(p, at); at += p.byteLength; }
      // A copy owes nothing to the caller's memory: done once queued on the socket, in order.
      this.writeOwn(out, callback);
      return;
    }
    s.cork();
    s.write(binaryHead(n, this.masked));
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) s.write(parts[i]!);
    s.write(parts[last]!, callback);
    s.uncork();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.sendClose(WsCloseCode.NORMAL, callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    // After a protocol error the socket lingers (above) to deliver the close frame.
    if (!err || !this.closeSent) this.socket.destroy();
    callback(err);
  }
}
