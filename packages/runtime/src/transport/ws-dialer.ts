/** WebSocket streams (`ws`), for networks that only pass HTTP-upgradable traffic. */
import { createServer, type Server } from 'node:http';
import { listenInRange } from './listen.js';
import { HANDSHAKE_TIMEOUT_MS } from '../wire/handshake.js';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Dialer } from './stream-transport.js';
import type { Card } from './transport.js';
import { webSocketDuplex } from './ws-stream.js';

/** Parts above this are split into several WebSocket messages, bounding memory on both sides. */
const WS_CHUNK = 4 << 20;

/**
 * The client masks every frame with an all-zero key, which `ws` recognises and
 * skips. Masking exists to stop a browser's script from steering bytes seen by
 * proxies (RFC 6455 §10.3); a rank is no browser, and its connections are
 * authenticated by the HMAC handshake (wire/handshake.ts) and, like all tsmpi
 * traffic, not encrypted (docs/security.md), so a random key would protect
 * nothing. Masking in JavaScript (without the optional native `bufferutil`)
 * cost 2-5x of the ws transport's bandwidth.
 */
const zeroMask = (mask: Buffer): Buffer => mask.fill(0);

type RawSocket = { setNoDelay(b: boolean): void; unref(): void };
const socketOf = (ws: WebSocket) => (ws as unknown as { _socket?: RawSocket })._socket;

export class WsDialer implements Dialer {
  readonly maxWrite = WS_CHUNK;
  private server: WebSocketServer | undefined;
  private http: Server | undefined;

  constructor(private readonly o: { hostId: string; bind: string; ports?: [number, number] }) {}

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
    const server = new WebSocketServer({ server: http, maxPayload: WS_CHUNK * 2, perMessageDeflate: false });
    server.on('connection', (ws) => {
      const sock = socketOf(ws);
      sock?.setNoDelay(true);
      sock?.unref();
      onStream(webSocketDuplex(ws));
    });
    this.server = server;
    return { hostId: this.o.hostId, ws: `ws://${this.o.bind}:${port}` };
  }

  connect(card: Card): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(card.ws!, { perMessageDeflate: false, maxPayload: WS_CHUNK * 2, generateMask: zeroMask });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        const sock = socketOf(ws);
        sock?.setNoDelay(true);
        sock?.unref();
        resolve(webSocketDuplex(ws));
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const c of s.clients) c.terminate();
    await new Promise<void>((r) => s.close(() => r()));
    // close() waits for every connection to end: drop those of strangers still in HTTP.
    this.http?.closeAllConnections();
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()));
  }
}
