/**
 * WebSocket streams, for networks that only pass HTTP-upgradable traffic. `ws`
 * does the HTTP upgrade on both sides; then tsmpi takes the socket over and
 * reads and writes the WebSocket frames itself (ws-takeover.ts, ws-stream.ts).
 */
import { createServer, type Server } from 'node:http';
import { WS_SMALL_HEAD_ROOM } from '../constants.js';
import { listenInRange } from './listen.js';
import { HANDSHAKE_TIMEOUT_MS } from '../wire/handshake.js';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Dialer } from './stream-transport.js';
import type { Card } from './transport.js';
import { WsByteStream } from './ws-stream.js';
import { takeOverSocket } from './ws-takeover.js';

/** ws's limit for messages it reads itself: none should reach it once tsmpi takes the socket over. */
const WS_LIBRARY_MAX_PAYLOAD = 64 * 1024;

/** The upgraded connection of `ws` as tsmpi's own byte stream (client frames are masked). */
function streamOf(ws: WebSocket, client: boolean, readBuffer: number | undefined): WsByteStream {
  const { socket, buffered } = takeOverSocket(ws, readBuffer);
  socket.setNoDelay(true);
  socket.unref();
  return new WsByteStream(socket, client, buffered);
}

export class WsDialer implements Dialer {
  /** No limit: frames are read as they arrive, never held whole (ws-frame-reader.ts). */
  readonly maxWrite = Number.MAX_SAFE_INTEGER;
  /** Each small frame leaves room for its WebSocket head in front (WsByteStream.writeInRoom). */
  readonly headRoom = WS_SMALL_HEAD_ROOM;
  private server: WebSocketServer | undefined;
  private http: Server | undefined;
  /** Accepted connections, closed with the dialer. */
  private readonly accepted = new Set<WsByteStream>();

  /** `readBuffer`: bytes of each connection's reused read buffer (default 64 KiB; tests make it tiny). */
  constructor(private readonly o: { hostId: string; bind: string; ports?: [number, number]; readBuffer?: number }) {}

  async listen(onStream: (s: Duplex) => void): Promise<Card> {
    const http = createServer();
    const port = await listenInRange(http, this.o.bind, this.o.ports);
    // The HTTP server must not keep a finished rank alive.
    http.unref();
    // Nor may a connection: a stranger's that never upgrades would hold the program's end
    // (and the implicit finalize) until the HTTP timeouts dropped it. Those drop a silent
    // stranger as the handshake timeout does on the other transports (Node's default: a minute or more).
    http.on('connection', (sock) => sock.unref());
    http.headersTimeout = HANDSHAKE_TIMEOUT_MS;
    http.requestTimeout = HANDSHAKE_TIMEOUT_MS;
    this.http = http;
    // No client tracking: the WebSocket objects are left behind once tsmpi takes their sockets.
    const server = new WebSocketServer({ server: http, maxPayload: WS_LIBRARY_MAX_PAYLOAD, perMessageDeflate: false, clientTracking: false });
    server.on('connection', (ws) => {
      let stream: WsByteStream;
      try {
        stream = streamOf(ws, false, this.o.readBuffer);
      } catch {
        ws.terminate();
        return;
      }
      this.accepted.add(stream);
      stream.on('close', () => this.accepted.delete(stream));
      onStream(stream);
    });
    this.server = server;
    return { hostId: this.o.hostId, ws: `ws://${this.o.bind}:${port}` };
  }

  connect(card: Card): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(card.ws!, { perMessageDeflate: false, maxPayload: WS_LIBRARY_MAX_PAYLOAD });
      ws.once('error', reject);
      // Synchronously on open, before ws reads a frame.
      ws.once('open', () => {
        ws.off('error', reject);
        try {
          resolve(streamOf(ws, true, this.o.readBuffer));
        } catch (err) {
          ws.terminate();
          reject(err as Error);
        }
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const c of this.accepted) c.destroy();
    await new Promise<void>((r) => s.close(() => r()));
    // close() waits for every connection to end: drop those of strangers still in HTTP.
    this.http?.closeAllConnections();
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()));
  }
}
