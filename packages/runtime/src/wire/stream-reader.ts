/** Read exact byte counts from a stream during a handshake, then hand over what is left. */
import type { Duplex } from 'node:stream';

export class StreamReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private ended: Error | undefined;
  // A copy: some sockets reuse one read buffer, so a chunk is only valid during its event (transport/reused-reads.ts).
  private readonly onData = (c: Buffer) => { this.chunks.push(Buffer.from(c)); this.have += c.length; this.wake(); };
  private readonly onEnd = () => { this.ended = new Error('connection closed during the handshake'); this.wake(); };

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
  }

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => { this.waiter = { n, resolve, reject }; this.wake(); });
  }

  private wake() {
    const w = this.waiter;
    if (!w) return;
    if (this.have >= w.n) {
      this.waiter = undefined;
      const all = Buffer.concat(this.chunks, this.have);
      this.chunks = all.length > w.n ? [all.subarray(w.n)] : [];
      this.have -= w.n;
      w.resolve(all.subarray(0, w.n));
    } else if (this.ended) {
      this.waiter = undefined;
      w.reject(this.ended);
    }
  }

  /** Stop listening; returns the bytes received beyond what was read. */
  detach(): Buffer {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    return Buffer.concat(this.chunks, this.have);
  }
}
