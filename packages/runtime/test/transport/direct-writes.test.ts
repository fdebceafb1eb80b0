/**
 * Writes straight to a socket's handle (transport/direct-writes.ts): the
 * usual case, and a write to a peer that has gone, which must fail as Node's
 * own socket write does (a system error named by its code, the socket
 * destroyed with it), not hang or report a bare number. Vectored writes: views
 * of any typed array, in order, and larger than the kernel's socket buffer
 * (libuv writes the rest later, and frames written after it wait their turn).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Direct, writeDirect, writevDirect } from '../../dist/transport/direct-writes.js';

const cleanup: (() => void)[] = [];
afterEach(() => { for (const f of cleanup.splice(0)) f(); });

/** Collect everything `s` receives until `n` bytes have come. */
function receive(s: net.Socket, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  return new Promise((resolve) => {
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      have += c.length;
      if (have >= n) resolve(Buffer.concat(chunks));
    });
  });
}

/** A connected pair of Unix sockets: [the dialled side, the accepted side]. */
async function pair(): Promise<[net.Socket, net.Socket]> {
  const dir = mkdtempSync(join(tmpdir(), 'tsmpi-direct-'));
  const server = net.createServer();
  cleanup.push(() => { server.close(); rmSync(dir, { recursive: true, force: true }); });
  server.listen(join(dir, 's'));
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const client = net.connect(join(dir, 's'));
  await once(client, 'connect');
  const [peer] = await accepted;
  cleanup.push(() => { client.destroy(); peer.destroy(); });
  return [client, peer];
}

describe('direct writes', () => {
  it('a small write is taken by the kernel at once and arrives intact', async () => {
    const [a, b] = await pair();
    const got = once(b, 'data') as Promise<[Buffer]>;
    expect(writeDirect(a, Buffer.from('hello'))).toBe(Direct.WRITTEN);
    expect((await got)[0].toString()).toBe('hello');
  });

  it('a write to a peer that has closed fails with a named system error and destroys the socket', async () => {
    const [a, b] = await pair();
    b.destroy();
    await once(b, 'close');
    a.on('error', () => {}); // the destroy below reports it here too
    const failed = new Promise<Error>((resolve) => {
      // The first writes may still land in the kernel's buffer; keep writing until one fails.
      const attempt = (): void => {
        const r = writeDirect(a, Buffer.alloc(64 * 1024), (err) => (err ? resolve(err) : setImmediate(attempt)));
        if (r === Direct.WRITTEN) setImmediate(attempt);
        else expect(r).toBe(Direct.PENDING);
      };
      attempt();
    });
    const err = (await failed) as NodeJS.ErrnoException;
    expect(['EPIPE', 'ECONNRESET']).toContain(err.code);
    expect(err.message).toBe(`write ${err.code}`);
    expect(err.syscall).toBe('write');
    expect(err.errno).toBeLessThan(0);
    expect(a.destroyed).toBe(true);
  }, 10_000);

  it('a vectored write of views of typed arrays arrives whole and in order', async () => {
    const [a, b] = await pair();
    const head = Buffer.from('head:');
    const f = new Float64Array([1.5, -2, Math.PI]);
    const tail = new Uint8Array([7, 8, 9, 10]).subarray(1, 3);
    const want = head.length + f.byteLength + tail.byteLength;
    const got = receive(b, want);
    const parts = [head, new Uint8Array(f.buffer), tail];
    expect(writevDirect(a, parts, () => { throw new Error('done is only for writes that go on later'); })).toBe(Direct.WRITTEN);
    const bytes = await got;
    expect(bytes.length).toBe(want);
    expect(bytes.subarray(0, 5).toString()).toBe('head:');
    expect(Array.from(new Float64Array(bytes.buffer.slice(bytes.byteOffset + 5, bytes.byteOffset + 5 + 24)))).toEqual([1.5, -2, Math.PI]);
    expect(Array.from(bytes.subarray(29))).toEqual([8, 9]);
  });

  it('a vectored write larger than the socket buffer completes later, and a frame written after it follows it', async () => {
    const [a, b] = await pair();
    const big = new Uint8Array(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
    const got = receive(b, big.length + 8);
    let completed: Error | undefined | 'no' = 'no';
    const r = writevDirect(a, [Buffer.from('BIG:'), big], (err) => { completed = err; });
    expect(r).toBe(Direct.PENDING);
    // The Writable knows nothing of it, so the next small frame goes to the handle too: libuv queues it behind.
    expect(writeDirect(a, Buffer.from('next'), () => {})).not.toBe(Direct.NO);
    const bytes = await got;
    expect(completed).toBeUndefined();
    expect(bytes.subarray(0, 4).toString()).toBe('BIG:');
    expect(Buffer.compare(bytes.subarray(4, 4 + big.length), Buffer.from(big.buffer))).toBe(0);
    expect(bytes.subarray(4 + big.length).toString()).toBe('next');
  }, 10_000);

  it('a vectored write to a peer that has closed fails with a named system error', async () => {
    const [a, b] = await pair();
    b.destroy();
    await once(b, 'close');
    a.on('error', () => {});
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const attempt = (): void => {
        const r = writevDirect(a, [Buffer.from('x'), new Uint8Array(64 * 1024)], (e) => (e ? resolve(e) : setImmediate(attempt)));
        if (r === Direct.WRITTEN) setImmediate(attempt);
      };
      attempt();
    });
    expect(['EPIPE', 'ECONNRESET']).toContain(err.code);
    expect(a.destroyed).toBe(true);
  }, 10_000);
});
