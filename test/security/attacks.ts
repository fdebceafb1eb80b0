/**
 * Strangers at a rank's door: clients that connect to a listening socket (TCP,
 * Unix, or a WebSocket endpoint) and send what a tsmpi rank would not — random
 * bytes, truncated and oversized frames, a handshake with a wrong secret, or
 * nothing at all — and report how the rank answered.
 */
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';

export type Target = { host: string; port: number } | { path: string };

export const describeTarget = (t: Target): string => ('path' in t ? `unix:${t.path}` : `tcp:${t.host}:${t.port}`);

/** tsmpi's handshake magic (wire/handshake.ts); a rank's hello is MAGIC and a 32-byte nonce. */
const MAGIC = Buffer.from('TSMPI\x00\x01\x00', 'latin1');
const NONCE = 32;

export interface Outcome {
  attack: string;
  target: string;
  /** The rank closed the connection (within the attack's wait). */
  closedByRank: boolean;
  /** What the rank sent back after our last write (never a proof of the secret). */
  after: Buffer;
  /** The first bytes the rank sent at all (its hello, an HTTP status line...). */
  greeting: Buffer;
  error?: string;
}

/** A connection with its incoming bytes collected, for scripted exchanges. */
class Conn {
  readonly socket: net.Socket;
  received = Buffer.alloc(0);
  closed = false;
  private waiters: (() => void)[] = [];

  constructor(target: Target) {
    this.socket = net.connect(target as net.NetConnectOpts);
    this.socket.on('data', (d) => { this.received = Buffer.concat([this.received, d]); this.wake(); });
    this.socket.on('close', () => { this.closed = true; this.wake(); });
    this.socket.on('error', () => { /* a reset is a close */ });
  }

  private wake() { for (const w of this.waiters.splice(0)) w(); }

  /** Resolve when `test()` holds or the connection closed, or after `ms`. */
  async until(test: () => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!test() && !this.closed) {
      const left = end - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
    return test();
  }

  async connected(): Promise<void> {
    if (this.socket.readyState === 'open') return;
    await new Promise<void>((resolve, reject) => { this.socket.once('connect', resolve); this.socket.once('error', reject); });
  }

  write(b: Buffer | string): void { if (!this.closed) this.socket.write(b); }
  destroy(): void { this.socket.destroy(); }
}

/** Run `script` on a fresh connection, then wait up to `waitMs` for the rank to close it. */
async function attack(name: string, target: Target, waitMs: number, script: (c: Conn) => Promise<void>): Promise<Outcome> {
  const c = new Conn(target);
  const out: Outcome = { attack: name, target: describeTarget(target), closedByRank: false, after: Buffer.alloc(0), greeting: Buffer.alloc(0) };
  try {
    await c.connected();
    await script(c);
    const mark = c.received.length;
    await c.until(() => false, waitMs);
    out.closedByRank = c.closed;
    out.after = c.received.subarray(mark);
  } catch (err) {
    out.error = (err as Error).message;
    out.closedByRank = c.closed;
  } finally {
    out.greeting = c.received.subarray(0, 64);
    c.destroy();
  }
  return out;
}

/** Read a rank's hello (MAGIC and its nonce); throws if it does not come. */
async function hello(c: Conn): Promise<Buffer> {
  if (!(await c.until(() => c.received.length >= MAGIC.length + NONCE, 5000))) throw new Error('no tsmpi hello');
  if (!c.received.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`not a tsmpi hello: ${c.received.subarray(0, 16).toString('hex')}`);
  return c.received.subarray(MAGIC.length, MAGIC.length + NONCE);
}

/** The connector's answer to a hello, proving a secret (here a wrong one). */
function answer(nonce: Buffer, secret: Buffer, id: number): Buffer {
  const nc = randomBytes(NONCE);
  const idb = Buffer.alloc(4); idb.writeInt32LE(id, 0);
  const mac = createHmac('sha256', secret).update('c').update(nonce).update(nc).update(idb).digest();
  return Buffer.concat([MAGIC, nc, idb, mac]);
}

/** A frame prefix announcing `headerLen` header bytes and `payloadLen` payload bytes. */
function prefix(headerLen: number, payloadLen: bigint): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(headerLen, 0);
  b.writeBigUInt64LE(payloadLen, 4);
  return b;
}

// ---- against a TCP or Unix socket speaking tsmpi's handshake ----

export const streamAttacks = {
  /** 4 KiB of random bytes at once. */
  random: (t: Target) => attack('random bytes', t, 5000, async (c) => { c.write(randomBytes(4096)); }),
  /** A frame where the handshake belongs, with absurd lengths. */
  hugeLengths: (t: Target) => attack('huge length prefix', t, 5000, async (c) => {
    c.write(Buffer.concat([prefix(0xffffffff, 2n ** 64n - 1n), randomBytes(100)]));
  }),
  /** The magic and part of an answer, then our side closes (a truncated handshake/frame). */
  truncated: (t: Target) => attack('truncated answer', t, 5000, async (c) => {
    const n = await hello(c);
    c.write(answer(n, randomBytes(32), 1).subarray(0, 50));
    c.socket.end();
  }),
  /** A well-formed answer from someone who does not know the secret. */
  wrongSecret: (t: Target) => attack('wrong secret', t, 5000, async (c) => {
    const n = await hello(c);
    c.write(answer(n, randomBytes(32), 1));
  }),
  /** A wrong secret, then frames anyway (they must never be read). */
  wrongSecretThenFrames: (t: Target) => attack('wrong secret then frames', t, 5000, async (c) => {
    const n = await hello(c);
    const frame = Buffer.concat([prefix(7, 4n), Buffer.from([0x96, 1, 0, 1, 5, 2, 0]), Buffer.from('evil')]);
    c.write(Buffer.concat([answer(n, randomBytes(32), 1), frame, frame, frame]));
  }),
};

/** Connections that never say anything (or stop after the magic); close them with the returned function. */
export async function halfOpen(t: Target, speakMagic: boolean): Promise<{ closedByRank: () => boolean; close: () => void }> {
  const c = new Conn(t);
  await c.connected();
  if (speakMagic) c.write(MAGIC);
  return { closedByRank: () => c.closed, close: () => c.destroy() };
}

// ---- against a WebSocket endpoint (an HTTP server that upgrades) ----

function upgradeRequest(t: { host: string; port: number }): string {
  return `GET / HTTP/1.1\r\nHost: ${t.host}:${t.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
}

/** Upgrade to WebSocket; resolves with the bytes after the 101 response. */
async function upgrade(c: Conn, t: { host: string; port: number }): Promise<void> {
  c.write(upgradeRequest(t));
  if (!(await c.until(() => c.received.includes('\r\n\r\n'), 5000))) throw new Error('no upgrade response');
  const head = c.received.subarray(0, c.received.indexOf('\r\n\r\n') + 4);
  if (!/^HTTP\/1\.1 101 /.test(head.toString('latin1'))) throw new Error(`upgrade refused: ${head.toString('latin1').split('\r\n')[0]}`);
  c.received = c.received.subarray(head.length);
}

/** A client-to-server WebSocket frame (masked unless told otherwise). */
function wsFrame(payload: Buffer, { opcode = 0x2, masked = true, declared }: { opcode?: number; masked?: boolean; declared?: bigint } = {}): Buffer {
  const len = declared ?? BigInt(payload.length);
  const head: number[] = [0x80 | opcode];
  const m = masked ? 0x80 : 0;
  if (len < 126n) head.push(m | Number(len));
  else if (len < 65536n) head.push(m | 126, Number(len >> 8n) & 0xff, Number(len) & 0xff);
  else { head.push(m | 127); for (let i = 7; i >= 0; i--) head.push(Number((len >> BigInt(8 * i)) & 0xffn)); }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** The payload of the first (unmasked, short) server frame. */
async function wsMessage(c: Conn): Promise<Buffer> {
  if (!(await c.until(() => c.received.length >= 2 && c.received.length >= 2 + (c.received[1]! & 0x7f), 5000))) throw new Error('no WebSocket message');
  const n = c.received[1]! & 0x7f;
  if (n >= 126) throw new Error('unexpectedly long first message');
  return c.received.subarray(2, 2 + n);
}

export const wsAttacks = {
  /** Not HTTP at all. */
  random: (t: { host: string; port: number }) => attack('random bytes (ws)', t, 5000, async (c) => { c.write(randomBytes(4096)); }),
  /** A malformed HTTP request. */
  badHttp: (t: { host: string; port: number }) => attack('garbage HTTP', t, 5000, async (c) => { c.write('GARBAGE /\u0000 HTTP/9.9\r\nX: \u0001\u0002\r\n\r\n'); }),
  /** A good upgrade, then bytes that are not WebSocket frames (a reserved opcode). */
  garbageFrames: (t: { host: string; port: number }) => attack('garbage WebSocket frames', t, 5000, async (c) => {
    await upgrade(c, t);
    c.write(Buffer.concat([Buffer.from([0xff, 0xff]), randomBytes(200)]));
  }),
  /** An unmasked client frame (forbidden by RFC 6455). */
  unmaskedFrame: (t: { host: string; port: number }) => attack('unmasked WebSocket frame', t, 5000, async (c) => {
    await upgrade(c, t);
    c.write(wsFrame(randomBytes(100), { masked: false }));
  }),
  /** A frame announcing 2^62 bytes. */
  hugeFrame: (t: { host: string; port: number }) => attack('huge WebSocket frame', t, 5000, async (c) => {
    await upgrade(c, t);
    c.write(wsFrame(randomBytes(64), { declared: 2n ** 62n }));
  }),
  /** Random bytes inside well-formed binary messages (where tsmpi's handshake belongs). */
  randomMessages: (t: { host: string; port: number }) => attack('random WebSocket messages', t, 5000, async (c) => {
    await upgrade(c, t);
    c.write(Buffer.concat([wsFrame(randomBytes(4096)), wsFrame(randomBytes(10))]));
  }),
  /** tsmpi's handshake over WebSocket with a wrong secret. */
  wrongSecret: (t: { host: string; port: number }) => attack('wrong secret (ws)', t, 5000, async (c) => {
    await upgrade(c, t);
    const h = await wsMessage(c);
    if (!h.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a tsmpi hello');
    c.received = c.received.subarray(2 + h.length);
    c.write(wsFrame(answer(h.subarray(MAGIC.length, MAGIC.length + NONCE), randomBytes(32), 1)));
  }),
};

/** A WebSocket connection that upgrades and then says nothing. */
export async function wsHalfOpen(t: { host: string; port: number }): Promise<{ closedByRank: () => boolean; close: () => void }> {
  const c = new Conn(t);
  await c.connected();
  await upgrade(c, t);
  return { closedByRank: () => c.closed, close: () => c.destroy() };
}
