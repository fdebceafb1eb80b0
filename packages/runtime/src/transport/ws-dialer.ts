/** WebSocket streams (`ws`), for networks that only pass HTTP-upgradable traffic. */
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, createWebSocketStream } from 'ws';
import type { Dialer } from './stream-transport.js';
import type { Card } from './transport.js';

/** Parts above this are split into several WebSocket messages, bounding memory on both sides. */
const WS_CHUNK = 4 << 20;

export class WsDialer implements Dialer {
  readonly maxWrite = WS_CHUNK;
  private server: WebSocketServer | undefined;

  constructor(private readonly o: { hostId: string; bind: string }) {}

  async listen(onStream: (s: Duplex) => void): Promise<Card> {
    const server = new WebSocketServer({ host: this.o.bind, port: 0, maxPayload: WS_CHUNK * 2, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
    // The HTTP server must not keep a finished rank alive.
    (server as unknown as { _server?: { unref(): void } })._server?.unref();
    server.on('connection', (ws) => {
      const sock = (ws as unknown as { _socket?: { setNoDelay(b: boolean): void; unref(): void } })._socket;
      sock?.setNoDelay(true);
      sock?.unref();
      onStream(createWebSocketStream(ws));
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    return { hostId: this.o.hostId, ws: `ws://${this.o.bind}:${port}` };
  }

  connect(card: Card): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(card.ws!, { perMessageDeflate: false, maxPayload: WS_CHUNK * 2 });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        const sock = (ws as unknown as { _socket?: { setNoDelay(b: boolean): void; unref(): void } })._socket;
        sock?.setNoDelay(true);
        sock?.unref();
        resolve(createWebSocketStream(ws));
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const c of s.clients) c.terminate();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
