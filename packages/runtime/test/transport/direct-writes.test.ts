/**
 * Writes straight to a socket's handle (transport/direct-writes.ts): the
 * usual case, and a write to a peer that has gone, which must fail as Node's
 * own socket write does (a system error named by its code, the socket
 * destroyed with it), not hang or report a bare number.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Direct, writeDirect } from '../../dist/transport/direct-writes.js';

const cleanup: (() => void)[] = [];
afterEach(() => { for (const f of cleanup.splice(0)) f(); });

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
});
