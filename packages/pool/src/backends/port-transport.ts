/**
 * A tsmpi transport over MessagePorts, so that local worker threads, like
 * worker ranks, have a communicator among them (getCommWorkers()): one port
 * per pair of threads, frames copied into a fresh buffer and transferred
 * (ports keep order per pair, as a socket does).
 */
import type { MessagePort } from 'node:worker_threads';
import { type Card, Engine, ErrorCode, FIRST_FREE_CONTEXT, type FrameHeader, type Transport, tsmpiError, WORLD_CONTEXT } from '@tsmpi/runtime';
import { Communicator } from '@tsmpi/collectives';

type WireFrame = [kind: number, ctx: number, src: number, tag: number, enc: number, depth: number, payload: Uint8Array];

class PortTransport implements Transport {
  constructor(private readonly ports: (MessagePort | undefined)[]) {}
  async listen(): Promise<Card> { return { hostId: 'threads' }; }
  setPeers(): void {}
  send(dest: number, h: FrameHeader, parts: readonly Uint8Array[], byteLength: number): Promise<void> {
    const port = this.ports[dest];
    if (!port) return Promise.reject(tsmpiError(ErrorCode.RANK_FAILED, `no port to worker ${dest}`));
    const payload = new Uint8Array(byteLength);
    let off = 0;
    for (const p of parts) { payload.set(p, off); off += p.byteLength; }
    const frame: WireFrame = [h.kind, h.ctx, h.src, h.tag, h.enc, h.depth, payload];
    port.postMessage(frame, [payload.buffer as ArrayBuffer]);
    return Promise.resolve();
  }
  /** Posting a message hands it over at once: nothing is ever pending here. */
  async flush(): Promise<void> {}
  async close(): Promise<void> {
    for (const p of this.ports) p?.close();
  }
}

/**
 * The communicator of `size` threads, as thread `rank` sees it; `ports[j]`
 * leads to thread j (undefined for itself). Messages that arrived before this
 * call wait in the ports and are delivered now.
 */
export function threadComm(rank: number, size: number, ports: (MessagePort | undefined)[]): Communicator {
  const engine = new Engine(rank, size, FIRST_FREE_CONTEXT);
  engine.fatalHandler = (err) => { throw err; };
  engine.transport = new PortTransport(ports);
  ports.forEach((port) => {
    if (!port) return;
    port.on('message', (f: WireFrame) => engine.onFrame({ kind: f[0], ctx: f[1], src: f[2], tag: f[3], enc: f[4], depth: f[5] } as FrameHeader, f[6]));
    // The engine keeps the thread alive while a receive is pending; an idle port must not.
    port.unref();
  });
  const group = Array.from({ length: size }, (_, i) => i);
  return new Communicator(engine, WORLD_CONTEXT, group, {
    abort(code: number): never { throw tsmpiError(ErrorCode.STATE, `a task called abort(${code}) on the workers' communicator: end the task with an error instead`); },
  });
}
