/** Length-prefixed JSON messages over an authenticated stream. */
import type { Duplex } from 'node:stream';
import { MAX_CONTROL_MESSAGE } from './protocol.js';

export class ControlLink<In, Out> {
  private buf: Buffer = Buffer.alloc(0);
  onMessage: (m: In) => void = () => {};
  onClose: (why: string) => void = () => {};
  private closed = false;

  constructor(readonly stream: Duplex, rest: Buffer = Buffer.alloc(0)) {
    stream.on('data', (c: Buffer) => this.push(c));
    stream.on('close', () => this.close('connection closed'));
    stream.on('error', (e) => this.close(e.message));
    if (rest.length) this.push(rest);
  }

  private push(c: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, c]) : c;
    while (this.buf.length >= 4) {
      const n = this.buf.readUInt32LE(0);
      if (n > MAX_CONTROL_MESSAGE) { this.stream.destroy(); this.close(`control message of ${n} bytes exceeds the limit`); return; }
      if (this.buf.length < 4 + n) return;
      const body = this.buf.subarray(4, 4 + n);
      this.buf = this.buf.subarray(4 + n);
      let m: In;
      try { m = JSON.parse(body.toString('utf8')) as In; } catch {
        this.stream.destroy(); this.close('garbage on the control connection'); return;
      }
      this.onMessage(m);
    }
  }

  send(m: Out): void {
    if (this.closed) return;
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    const head = Buffer.allocUnsafe(4);
    head.writeUInt32LE(body.length, 0);
    this.stream.write(Buffer.concat([head, body]));
  }

  close(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(why);
  }
}
