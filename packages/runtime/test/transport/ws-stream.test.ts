/**
 * The ws transport's own framing on real sockets (transport/ws-dialer.ts,
 * ws-takeover.ts, ws-stream.ts): `ws` upgrades, tsmpi then reads and writes
 * the frames itself, with reused read buffers so small that every frame head
 * is cut; frames arrive intact and in order both ways. Interoperability: a
 * plain `ws` client and a plain `ws` server (RFC 6455 as `ws` checks it) read
 * tsmpi's frames, answer its pings and send fragmented messages, pings and
 * closes that tsmpi handles; a text message is a protocol error closed with
 * status 1002; a stranger without the secret is dropped. Small frames written
 * with their head in the room left for it stay in order with queued writes.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { connectHandshake, TsmpiError } from '@tsmpi/runtime';
import type { Card } from '../../dist/transport/transport.js';
import { Direct } from '../../dist/transport/direct-writes.js';
import { WsDialer } from '../../dist/transport/ws-dialer.js';
import type { WsByteStream } from '../../dist/transport/ws-stream.js';
import { cleanup, exchange, pattern, type Rank, runCleanup, twoRanks, until } from './two-ranks.js';

afterEach(runCleanup);

async function job(readBuffer?: number, secret = randomBytes(32)): Promise<Rank[]> {
  return twoRanks(() => new WsDialer({ hostId: 'h', bind: '127.0.0.1', readBuffer }), secret);
}

/** Around the WebSocket length encodings (126, 65536) and the copy limit (64 KiB). */
const SIZES = [0, 1, 8, 100, 125, 126, 16 * 1024 + 1, 65_535, 65_536, 70_000];

const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));

describe('ws transport with tsmpi framing', () => {
  for (const bytes of [1, 5, 13]) {
    it(`a read buffer of ${bytes} byte(s): frames cut everywhere, both directions intact and in order`, async () => {
      await exchange(await job(bytes), SIZES);
    });
  }

  it('the default read buffer: a 5 MiB payload and small frames around it', async () => {
    await exchange(await job(), [8, 5 * 1024 * 1024 + 3, 0, 20_000]);
  });

  it('a stranger without the secret is dropped; the job still works afterwards', async () => {
    const ranks = await job(7);
    const ws = new WebSocket(ranks[1]!.card.ws!);
    cleanup.push(() => ws.terminate());
    // Listening before 'open': the acceptor speaks first (its nonce), often in the 101 response's packet.
    const first = new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));
    await new Promise<void>((r, j) => { ws.once('open', () => r()); ws.once('error', j); });
    const closed = closeCode(ws);
    // Answer with a wrong proof.
    const hello = await first;
    expect(hello.subarray(0, 5).toString()).toBe('TSMPI');
    ws.send(Buffer.concat([hello.subarray(0, 8), randomBytes(32 + 4 + 32)]));
    await closed;
    expect(ranks[1]!.frames).toEqual([]);
    expect(ranks[1]!.fatal).toEqual([]);
    await exchange(ranks, [3, 40_000]);
  });
});

describe('interoperability with the ws library', () => {
  it('a plain ws client: its pings are answered, its fragmented binary message is read, a text message closes with 1002', async () => {
    const [, b] = await job(3) as [Rank, Rank];
    const ws = new WebSocket(b.card.ws!);
    cleanup.push(() => ws.terminate());
    const first = new Promise<Buffer>((r) => ws.once('message', (d) => r(d as Buffer)));
    await new Promise<void>((r, j) => { ws.once('open', () => r()); ws.once('error', j); });
    // tsmpi's server frames are valid for ws: the handshake's hello arrives as one binary message.
    expect((await first).subarray(0, 5).toString()).toBe('TSMPI');
    const pong = new Promise<Buffer>((r) => ws.once('pong', (d) => r(d)));
    ws.ping(Buffer.from('are you there'));
    expect((await pong).toString()).toBe('are you there');
    const closed = closeCode(ws);
    ws.send('text is not tsmpi');
    expect(await closed).toBe(1002);
    expect(b.frames).toEqual([]);
  });

  it('a plain ws server: reads tsmpi client frames, and its fragmented messages, pings and close reach tsmpi', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    cleanup.push(() => new Promise<void>((r) => { for (const c of server.clients) c.terminate(); server.close(() => r()); }));
    const accepted = new Promise<WebSocket>((r) => server.once('connection', (ws) => r(ws)));
    const dialer = new WsDialer({ hostId: 'h', bind: '127.0.0.1', readBuffer: 5 });
    const card: Card = { hostId: 'x', ws: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
    const stream: Duplex = await dialer.connect(card);
    cleanup.push(() => stream.destroy());
    const peer = await accepted;
    const got: Buffer[] = [];
    stream.on('data', (c: Buffer) => got.push(Buffer.from(c)));
    const ended = new Promise<void>((r) => stream.once('end', () => r()));

    // tsmpi → ws: masked (zero key) binary frames, one per write, a corked batch as one.
    const messages: Buffer[] = [];
    peer.on('message', (d) => messages.push(d as Buffer));
    const pong = new Promise<Buffer>((r) => peer.once('pong', (d) => r(d)));
    stream.write(Buffer.from([1, 2, 3]));
    stream.cork();
    stream.write(Buffer.from([4]));
    stream.write(Buffer.from(pattern(70_000, 1)));
    stream.uncork();
    peer.ping(Buffer.from('ping'));
    expect((await pong).toString()).toBe('ping');
    await until(() => messages.length === 2, 'ws to read both messages');
    expect(messages[0]).toEqual(Buffer.from([1, 2, 3]));
    expect(messages[1]!.equals(Buffer.concat([Buffer.from([4]), pattern(70_000, 1)]))).toBe(true);

    // ws → tsmpi: a message in three fragments, an empty one, then a close.
    peer.send(Buffer.from([10, 11]), { fin: false });
    peer.send(Buffer.from([12]), { fin: false });
    peer.send(Buffer.from(pattern(1000, 2)), { fin: true });
    peer.send(Buffer.alloc(0));
    const closed = closeCode(peer);
    peer.close(1000);
    await ended;
    expect(Buffer.concat(got).equals(Buffer.concat([Buffer.from([10, 11, 12]), pattern(1000, 2)]))).toBe(true);
    // tsmpi answers the close with its own, so ws ends cleanly.
    expect(await closed).toBe(1000);
  });

  it('writeInRoom: frames written in their room, behind corked writes, or too long for their room reach ws whole and in order', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    cleanup.push(() => new Promise<void>((r) => { for (const c of server.clients) c.terminate(); server.close(() => r()); }));
    const accepted = new Promise<WebSocket>((r) => server.once('connection', (ws) => r(ws)));
    const card: Card = { hostId: 'x', ws: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
    const stream = await new WsDialer({ hostId: 'h', bind: '127.0.0.1' }).connect(card) as WsByteStream;
    cleanup.push(() => stream.destroy());
    const messages: Buffer[] = [];
    (await accepted).on('message', (d) => messages.push(d as Buffer));
    // A payload after `room` bytes of garbage, which the stream may overwrite with its head.
    const inRoom = (payload: Uint8Array, room: number) => Buffer.concat([Buffer.alloc(room, 0xee), payload]);
    const done: number[] = [];

    expect(stream.writeInRoom(inRoom(Uint8Array.of(1, 2, 3), 8), 8, () => done.push(1))).not.toBe(Direct.NO);
    stream.cork();
    stream.write(Buffer.from([4]));
    // Behind the corked write: queued, and reported later, never before writeInRoom returns.
    expect(stream.writeInRoom(inRoom(Uint8Array.of(5), 8), 8, () => done.push(2))).toBe(Direct.PENDING);
    expect(done).not.toContain(2);
    stream.uncork();
    // A client's masked head of a 200-byte frame takes 8 bytes: not in 2.
    expect(stream.writeInRoom(inRoom(pattern(200, 3), 2), 2, () => done.push(3))).toBe(Direct.PENDING);
    expect(done).not.toContain(3);
    expect(stream.writeInRoom(inRoom(Uint8Array.of(6), 8), 8, () => done.push(4))).not.toBe(Direct.NO);

    await until(() => messages.length === 4 && done.includes(2) && done.includes(3), 'ws to read every frame');
    // The corked batch is one frame (one per write or corked batch).
    expect(messages.map((m) => [...m])).toEqual([[1, 2, 3], [4, 5], [...pattern(200, 3)], [6]]);
  });

  it('connectHandshake over a tsmpi ws connection fails cleanly against a server that is not tsmpi', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    cleanup.push(() => new Promise<void>((r) => { for (const c of server.clients) c.terminate(); server.close(() => r()); }));
    server.on('connection', (ws) => ws.send(Buffer.from('HELLO, I am something else entirely, not a tsmpi rank')));
    const stream = await new WsDialer({ hostId: 'h', bind: '127.0.0.1' }).connect({ hostId: 'x', ws: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` });
    cleanup.push(() => stream.destroy());
    stream.on('error', () => {});
    const err = await connectHandshake(stream, randomBytes(32), 0).then(() => undefined, (e: unknown) => e);
    expect(TsmpiError.is(err) && err.code).toBe('TSMPI_ERR_AUTH');
  });
});
