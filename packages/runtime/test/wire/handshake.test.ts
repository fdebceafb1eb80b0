/**
 * The connection handshake over real sockets: both sides prove they know the
 * job's secret; a wrong or absent secret, a stranger speaking another
 * protocol, or a silent peer ends in TSMPI_ERR_AUTH with the connection closed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceptHandshake, connectHandshake, TsmpiError } from '@tsmpi/runtime';

const MAGIC = Buffer.from('TSMPI\x00\x01\x00', 'latin1');

interface Pair { server: net.Socket; client: net.Socket; close(): void }
const open: Pair[] = [];

/** A connected pair of TCP sockets on loopback. */
async function socketPair(): Promise<Pair> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise<void>((r) => client.once('connect', () => r()));
  const server = await accepted;
  server.on('error', () => {});
  srv.close();
  const pair = { server, client, close() { server.destroy(); client.destroy(); } };
  open.push(pair);
  return pair;
}

afterEach(() => {
  for (const p of open.splice(0)) p.close();
  vi.useRealTimers();
});

async function authError(p: Promise<unknown>): Promise<TsmpiError> {
  try {
    await p;
  } catch (err) {
    if (TsmpiError.is(err) && err.code === 'TSMPI_ERR_AUTH') return err;
    throw new Error(`expected TSMPI_ERR_AUTH, got ${String(err)}`);
  }
  throw new Error('expected TSMPI_ERR_AUTH, the handshake succeeded');
}

const closed = (s: net.Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
const mac = (secret: Buffer, ...parts: Buffer[]) => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest();
};

describe('handshake over a real socket pair', () => {
  it('the same secret: both sides agree on the connector id and bytes flow afterwards', async () => {
    const { server, client } = await socketPair();
    const secret = randomBytes(32);
    const [a, c] = await Promise.all([acceptHandshake(server, secret), connectHandshake(client, secret, 5)]);
    expect(a.id).toBe(5);
    expect(c.id).toBe(5);
    const got = new Promise<string>((r) => server.once('data', (d: Buffer) => r(d.toString())));
    client.write('after the handshake');
    expect(await got).toBe('after the handshake');
  });

  it('the secret itself never crosses the wire', async () => {
    const { server, client } = await socketPair();
    const secret = randomBytes(32);
    const seen: Buffer[] = [];
    server.on('data', (d: Buffer) => seen.push(d));
    client.on('data', (d: Buffer) => seen.push(d));
    await Promise.all([acceptHandshake(server, secret), connectHandshake(client, secret, 0)]);
    expect(Buffer.concat(seen).includes(secret)).toBe(false);
  });

  it('bytes sent right behind the connector proof are handed over as `rest`', async () => {
    const { server, client } = await socketPair();
    const secret = randomBytes(32);
    const accepted = acceptHandshake(server, secret);
    // A hand-written connector that sends its proof and a first frame in one write.
    const hello = await new Promise<Buffer>((r) => client.once('data', r));
    const ns = hello.subarray(MAGIC.length);
    const nc = randomBytes(32);
    const id = Buffer.alloc(4);
    id.writeInt32LE(3);
    client.write(Buffer.concat([MAGIC, nc, id, mac(secret, Buffer.from('c'), ns, nc, id), Buffer.from('FIRST-FRAME')]));
    const { id: who, rest } = await accepted;
    expect(who).toBe(3);
    expect(rest.toString()).toBe('FIRST-FRAME');
  });

  it('a wrong secret: both sides fail with TSMPI_ERR_AUTH and the connection is closed', async () => {
    const { server, client } = await socketPair();
    const [ea, ec] = await Promise.all([
      authError(acceptHandshake(server, randomBytes(32))),
      authError(connectHandshake(client, randomBytes(32), 1)),
    ]);
    expect(ea.message).toMatch(/secret/);
    expect(ec.message).toMatch(/authenticate|secret/);
    await closed(server);
  });

  it('an absent secret (a stranger speaking HTTP) is refused and closed', async () => {
    const { server, client } = await socketPair();
    const p = acceptHandshake(server, randomBytes(32));
    client.write('GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n');
    expect((await authError(p)).message).toMatch(/did not speak the tsmpi handshake/);
    await closed(server);
  });

  it('a peer that hangs up during the handshake is refused', async () => {
    const { server, client } = await socketPair();
    const p = acceptHandshake(server, randomBytes(32));
    client.end(MAGIC);
    await authError(p);
  });

  it('a forged acceptor (right magic, does not know the secret) is refused by the connector', async () => {
    const { server, client } = await socketPair();
    server.write(Buffer.concat([MAGIC, randomBytes(32)]));
    server.on('data', () => server.write(randomBytes(32))); // a made-up proof
    const e = await authError(connectHandshake(client, randomBytes(32), 0));
    expect(e.message).toMatch(/prove|secret/);
  });

  it('an acceptor that speaks another protocol is refused by the connector', async () => {
    const { server, client } = await socketPair();
    server.write('SSH-2.0-OpenSSH_9.6\r\n' + 'x'.repeat(40));
    await authError(connectHandshake(client, randomBytes(32), 0));
  });

  it('a proof computed for another id does not pass', async () => {
    const { server, client } = await socketPair();
    const secret = randomBytes(32);
    const accepted = acceptHandshake(server, secret);
    const hello = await new Promise<Buffer>((r) => client.once('data', r));
    const ns = hello.subarray(MAGIC.length);
    const nc = randomBytes(32);
    const claimed = Buffer.alloc(4);
    claimed.writeInt32LE(0);
    const proven = Buffer.alloc(4);
    proven.writeInt32LE(1);
    client.write(Buffer.concat([MAGIC, nc, claimed, mac(secret, Buffer.from('c'), ns, nc, proven)]));
    await authError(accepted);
  });

  it('a silent peer times out with TSMPI_ERR_AUTH', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let destroyed = false;
    const silent = new Duplex({
      read() {},
      write(_c, _e, cb) { cb(); },
      destroy(err, cb) { destroyed = true; cb(err); },
    });
    const p = authError(acceptHandshake(silent, randomBytes(32)));
    await vi.advanceTimersByTimeAsync(10_001);
    expect((await p).message).toMatch(/not completed within/);
    // Ended gracefully at once, dropped for good half a second later.
    await vi.advanceTimersByTimeAsync(600);
    expect(destroyed).toBe(true);
  });
});
