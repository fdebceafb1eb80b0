/**
 * N ranks inside one Node process: frames are copied into one fresh buffer
 * (so a receiver never shares memory with the sender, as over a socket) and
 * delivered asynchronously in send order. Used to test everything above the
 * transport, at sizes no machine could run as processes.
 */
import type { FrameHeader } from '../wire/header.js';
import { type Card, SENT, type Transport, type TransportEvents } from './transport.js';
import { type Bytes, concatBytes } from '../codec/bytes.js';

interface Pending { dest: number; header: FrameHeader; payload: Bytes }

export class InProcessHub {
  readonly endpoints: InProcessTransport[] = [];
  private queue: Pending[] = [];
  private scheduled = false;
  /** Frames delivered so far. */
  frames = 0;

  endpoint(rank: number, events: TransportEvents): InProcessTransport {
    const t = new InProcessTransport(this, rank, events);
    this.endpoints[rank] = t;
    return t;
  }

  enqueue(p: Pending): void {
    this.queue.push(p);
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => this.flush()); }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const p of batch) {
      this.frames++;
      this.endpoints[p.dest]!.events.onFrame(p.header, p.payload);
    }
  }
}

export class InProcessTransport implements Transport {
  constructor(private readonly hub: InProcessHub, readonly rank: number, readonly events: TransportEvents) {}
  async listen(): Promise<Card> { return { hostId: 'inprocess' }; }
  setPeers(): void {}
  send(dest: number, header: FrameHeader, parts: readonly Uint8Array[], byteLength: number): Promise<void> {
    const payload = concatBytes(parts, byteLength);
    this.hub.enqueue({ dest, header, payload });
    return SENT;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
