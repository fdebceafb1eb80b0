/** TCP between hosts, Unix domain sockets between ranks of one host (the same-host fast path). */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Dialer } from './stream-transport.js';
import type { Card } from './transport.js';
import { listenInRange } from './listen.js';
import { adoptReusingReads, dialReusingReads, READ_BUFFER_BYTES } from './reused-reads.js';

export interface NetDialerOptions {
  hostId: string;
  /** Address to listen on for TCP (127.0.0.1 for single-host jobs). */
  bind: string;
  /** Directory for this job's Unix sockets; none → TCP only. */
  socketDir?: string;
  rank: number;
  /** Use the Unix socket for same-host peers (false forces TCP everywhere). */
  sameHostPath: boolean;
  /** Listen only on a port in this range. */
  ports?: [number, number];
  /** Bytes of each connection's reused read buffer (default 64 KiB; tests make it tiny). */
  readBuffer?: number;
}

function listenOn(server: net.Server, arg: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(arg, () => { server.off('error', reject); resolve(); });
  });
}

export class NetDialer implements Dialer {
  readonly maxWrite = Number.MAX_SAFE_INTEGER;
  private servers: net.Server[] = [];
  private unixPath: string | undefined;

  constructor(private readonly o: NetDialerOptions) {}

  private get readBuffer(): number { return this.o.readBuffer ?? READ_BUFFER_BYTES; }

  async listen(onStream: (s: Duplex) => void): Promise<Card> {
    // Paused on connect: the connection moves to a socket with reused reads before any byte is read.
    const onConn = (accepted: net.Socket) => {
      const s = adoptReusingReads(accepted, this.readBuffer);
      s.setNoDelay(true);
      s.unref();
      onStream(s);
    };
    const tcp = net.createServer({ noDelay: true, pauseOnConnect: true }, onConn);
    tcp.unref();
    const port = await listenInRange(tcp, this.o.bind, this.o.ports);
    this.servers.push(tcp);
    const card: Card = { hostId: this.o.hostId, tcp: { host: this.o.bind, port } };
    if (this.o.socketDir && this.o.sameHostPath) {
      const path = join(this.o.socketDir, `r${this.o.rank}.sock`);
      rmSync(path, { force: true });
      const unix = net.createServer({ pauseOnConnect: true }, onConn);
      unix.unref();
      await listenOn(unix, { path });
      this.servers.push(unix);
      this.unixPath = path;
      card.unix = path;
    }
    return card;
  }

  connect(card: Card, own: Card): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const s = card.unix && this.o.sameHostPath && card.hostId === own.hostId
        ? dialReusingReads({ path: card.unix }, this.readBuffer)
        : dialReusingReads({ host: card.tcp!.host, port: card.tcp!.port, noDelay: true }, this.readBuffer);
      s.setNoDelay(true);
      s.unref();
      s.once('error', reject);
      s.once('connect', () => { s.off('error', reject); resolve(s); });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (this.unixPath) rmSync(this.unixPath, { force: true });
  }
}
