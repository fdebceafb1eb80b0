/**
 * Connections that read into one reused buffer (transport/reused-reads.ts):
 * over TCP and Unix sockets, on the dialled and on the accepted side, with read
 * buffers so small that the handshake and every frame are cut everywhere and
 * the buffer is overwritten on every read, frames arrive intact and in order
 * in both directions; strangers and garbage still end cleanly.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHandshake, encodeFrameHead, TsmpiError } from '@tsmpi/runtime';
import { NetDialer } from '../../dist/transport/net-dialer.js';
import { adoptReusingReads, dialReusingReads, readDirectly } from '../../dist/transport/reused-reads.js';
import { cleanup, exchange, header, pattern, type Rank, runCleanup, twoRanks, until } from './two-ranks.js';

afterEach(runCleanup);

/** Two ranks of one job on one host (`unix`: the same-host path; otherwise TCP). */
async function job(kind: 'tcp' | 'unix', readBuffer?: number, secret = randomBytes(32)): Promise<Rank[]> {
  const socketDir = mkdtempSync(join(tmpdir(), 'tsmpi-reads-'));
  cleanup.push(() => rmSync(socketDir, { recursive: true, force: true }));
  return twoRanks((rank) => new NetDialer({ hostId: 'h', bind: '127.0.0.1', socketDir, rank, sameHostPath: kind === 'unix', readBuffer }), secret);
}

/** Sizes around the inline limit (16 KiB) and the read buffer. */
const SIZES = [0, 1, 2, 3, 7, 8, 12, 13, 100, 16 * 1024, 16 * 1024 + 1, 70_000];

describe.each(['tcp', 'unix'] as const)('reused reads over %s', (kind) => {
  for (const bytes of [1, 5, 13]) {
    it(`a read buffer of ${bytes} byte(s): handshake and frames cut everywhere, both directions intact and in order`, async () => {
      await exchange(await job(kind, bytes), SIZES);
    });
  }

  it('the default read buffer: a 5 MiB payload and small frames around it', async () => {
    await exchange(await job(kind), [8, 5 * 1024 * 1024 + 3, 0, 20_000]);
  });

  it('small frames written straight to the handle stay in order with large ones, past a full kernel buffer', async () => {
    // 600 inline frames of 16 KiB (9.6 MiB, far beyond the socket's kernel buffer) sent without waiting, with
    // large frames (through the Writable) among them: the small ones go to the handle directly while the
    // Writable is empty, libuv queues what the kernel cannot take, and flush() waits for all of it.
    const [a, b] = await job(kind) as [Rank, Rank];
    const sizes = Array.from({ length: 600 }, (_, i) => (i % 97 === 50 ? 100_000 + i : 16 * 1024 - (i % 3)));
    const sent = sizes.map((n, i) => a.t.send(1, header(0, i), [pattern(n, i)], n));
    await a.t.flush();
    await Promise.all(sent);
    await until(() => b.frames.length === sizes.length, 'rank 1 to receive every frame');
    expect(b.fatal).toEqual([]);
    b.frames.forEach((f, i) => {
      expect(f.header.tag).toBe(i);
      expect(Buffer.from(f.payload).equals(pattern(sizes[i]!, i))).toBe(true);
    });
  });

  it('garbage after a valid handshake: TSMPI_ERR_PROTOCOL naming the peer, connection closed', async () => {
    const secret = randomBytes(32);
    const [, b] = await job(kind, 3, secret) as [Rank, Rank];
    const sock = net.connect(kind === 'unix' ? { path: b.card.unix! } : b.card.tcp!);
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    cleanup.push(() => sock.destroy());
    await connectHandshake(sock, secret, 0);
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const bad = Buffer.alloc(12);
    bad.writeUInt32LE(5000, 0); // a header longer than the 4 KiB limit
    sock.write(Buffer.concat([encodeFrameHead(header(0, 1), 2, [Uint8Array.of(4, 2)]), bad]));
    await closed;
    await until(() => b.fatal.length > 0, 'the protocol error');
    expect(b.frames).toHaveLength(1);
    expect(TsmpiError.is(b.fatal[0]) && b.fatal[0].code).toBe('TSMPI_ERR_PROTOCOL');
    expect(b.fatal[0]!.message).toMatch(/rank 0/);
  });

  it('a stranger without the secret is dropped; the job still works afterwards', async () => {
    const ranks = await job(kind, 7);
    const b = ranks[1]!;
    const sock = net.connect(kind === 'unix' ? { path: b.card.unix! } : b.card.tcp!);
    sock.on('error', () => {});
    cleanup.push(() => sock.destroy());
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const err = await connectHandshake(sock, randomBytes(32), 0).then(() => undefined, (e: unknown) => e);
    expect(TsmpiError.is(err) && err.code).toBe('TSMPI_ERR_AUTH');
    await closed;
    expect(b.frames).toEqual([]);
    expect(b.fatal).toEqual([]);
    await exchange(ranks, [3, 40_000]);
  });
});

describe('adoptReusingReads and dialReusingReads', () => {
  it('an adopted connection no longer holds its server: close() completes while it stays open', async () => {
    const server = net.createServer({ pauseOnConnect: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const adopted = new Promise<net.Socket>((r) => server.once('connection', (s: net.Socket) => r(adoptReusingReads(s, 4))));
    const chunks: Buffer[] = [];
    const client = dialReusingReads({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, 4);
    client.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    cleanup.push(() => client.destroy());
    const s = await adopted;
    cleanup.push(() => s.destroy());
    await new Promise<void>((r) => server.close(() => r()));
    const got: Buffer[] = [];
    s.on('data', (c: Buffer) => {
      expect(c.length).toBeLessThanOrEqual(4);
      got.push(Buffer.from(c));
    });
    client.write('hello, adopted socket');
    s.write('and back to the dialled one');
    await until(() => Buffer.concat(got).length === 21 && Buffer.concat(chunks).length === 27, 'both messages');
    expect(Buffer.concat(got).toString()).toBe('hello, adopted socket');
    expect(Buffer.concat(chunks).toString()).toBe('and back to the dialled one');
    const ended = new Promise<void>((r) => s.once('end', () => r()));
    client.end();
    await ended;
  });

  it('readDirectly with a target: the kernel writes into the views it offers, the rest goes to the sink', async () => {
    const server = net.createServer({ pauseOnConnect: true });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => server.close());
    const adopted = new Promise<net.Socket>((r) => server.once('connection', (s: net.Socket) => r(adoptReusingReads(s, 1024))));
    const client = dialReusingReads({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    cleanup.push(() => client.destroy());
    const s = await adopted;
    cleanup.push(() => s.destroy());
    // The first 100 bytes and the last 50,000 through the 1 KiB read buffer (the sink), the 1 MiB between in place.
    const data = pattern(100 + (1 << 20) + 50_000, 7);
    const dest = new Uint8Array(1 << 20);
    let sunk = 0, placed = 0, offered = 0, largest = 0;
    const sinkBytes: Buffer[] = [];
    readDirectly(s, (buf, end, start = 0) => {
      expect(buf.byteLength).toBe(1024);
      sinkBytes.push(Buffer.from(buf.subarray(start, end)));
      sunk += end - start;
    }, {
      next: () => {
        if (sunk < 100 || placed === dest.byteLength) return undefined;
        offered++;
        return dest.subarray(placed);
      },
      landed: (n) => { placed += n; largest = Math.max(largest, n); },
    });
    client.write(data.subarray(0, 100));
    await until(() => sunk === 100, 'the first 100 bytes');
    client.write(data.subarray(100));
    await until(() => sunk + placed === data.byteLength, 'all bytes');
    expect(placed).toBe(dest.byteLength);
    expect(Buffer.from(dest).equals(data.subarray(100, 100 + dest.byteLength))).toBe(true);
    expect(Buffer.concat(sinkBytes).equals(Buffer.concat([data.subarray(0, 100), data.subarray(100 + dest.byteLength)]))).toBe(true);
    expect(offered).toBeGreaterThan(0);
    // Reads into the views are not bounded by the 1 KiB read buffer.
    expect(largest).toBeGreaterThan(1024);
  });

  it('a socket without a handle is returned as it is', () => {
    const s = new net.Socket();
    expect(adoptReusingReads(s)).toBe(s);
  });
});
