/** TCP between hosts, Unix domain sockets between ranks of one host (the same-host fast path). */
import { rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ErrorCode, tsmpiError } from '../errors.js';
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
  /**
   * Every rank of the job runs on this host. With the same-host path, no peer
   * then dials TCP, and no TCP listener is opened (it cost each rank of a
   * single-host job a port, and loading node:dns for the listen).
   */
  allPeersLocal?: boolean;
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
    const card: Card = { hostId: this.o.hostId };
    const unixOnly = this.o.socketDir !== undefined && this.o.sameHostPath && this.o.allPeersLocal === true;
    if (!unixOnly) {
      const tcp = net.createServer({ noDelay: true, pauseOnConnect: true }, onConn);
      tcp.unref();
      const port = await listenInRange(tcp, this.o.bind, this.o.ports);
      this.servers.push(tcp);
      card.tcp = { host: this.o.bind, port };
    }
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
    const unix = card.unix && this.o.sameHostPath && card.hostId === own.hostId;
    if (!unix && !card.tcp) {
      // Only a peer whose launch environment says the whole job is on its host leaves TCP out.
      return Promise.reject(tsmpiError(ErrorCode.INIT, `a peer on host ${card.hostId} listens on a Unix socket only, and this rank (host ${own.hostId}) cannot reach it: `
        + 'every rank of a job must be started by the same tsmpiexec, with the same --transport'));
    }
    return new Promise((resolve, reject) => {
      const s = unix
        ? dialReusingReads({ path: card.unix! }, this.readBuffer)
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
