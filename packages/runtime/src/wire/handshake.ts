/**
 * Mutual challenge-response on every connection, before any frame is read.
 * Both sides prove they know the job's secret with HMAC-SHA256 over fresh
 * nonces; the secret itself never crosses the wire.
 *
 *   acceptor  → MAGIC, Ns
 *   connector → MAGIC, Nc, id (i32), HMAC(secret, "c" Ns Nc id)
 *   acceptor  → HMAC(secret, "s" Nc Ns)
 */
import type { Duplex } from 'node:stream';
import { MAC_BYTES, NONCE_BYTES } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { StreamReader } from './stream-reader.js';

const MAGIC = Buffer.from('TSMPI\x00\x01\x00', 'latin1');
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * node:crypto, loaded on the first handshake rather than with this module:
 * tsmpiexec imports this module (through @tsmpi/runtime/launch) and shakes
 * hands only with the agents of a multi-host job; loading node:crypto cost
 * its start-up ~15 M instructions.
 */
const crypto = () => process.getBuiltinModule('node:crypto');

function mac(secret: Buffer, ...parts: Buffer[]): Buffer {
  const h = crypto().createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

function idBytes(id: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(id, 0);
  return b;
}

async function withTimeout<T>(stream: Duplex, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tsmpiError(ErrorCode.AUTH, `handshake not completed within ${HANDSHAKE_TIMEOUT_MS} ms`)), HANDSHAKE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([what, timeout]);
  } catch (err) {
    // Close gracefully: drain what the stranger sent (so the close is a FIN, not a reset that
    // could discard what it was told), then drop the connection for good shortly after.
    stream.resume();
    stream.end();
    setTimeout(() => stream.destroy(), 500).unref();
    throw TsmpiAuth(err);
  } finally {
    clearTimeout(timer);
  }
}

function TsmpiAuth(err: unknown) {
  if (err && typeof err === 'object' && 'code' in err && String((err as { code: unknown }).code).startsWith('TSMPI_')) return err;
  return tsmpiError(ErrorCode.AUTH, `connection failed to authenticate: ${(err as Error)?.message ?? err}`, err);
}

export interface Authenticated { id: number; rest: Buffer }

/** The accepting side. Resolves with the connector's id and any bytes that followed the handshake. */
export function acceptHandshake(stream: Duplex, secret: Buffer): Promise<Authenticated> {
  return withTimeout(stream, (async () => {
    const reader = new StreamReader(stream);
    const ns = crypto().randomBytes(NONCE_BYTES);
    stream.write(Buffer.concat([MAGIC, ns]));
    const msg = await reader.read(MAGIC.length + NONCE_BYTES + 4 + MAC_BYTES);
    if (!msg.subarray(0, MAGIC.length).equals(MAGIC)) throw tsmpiError(ErrorCode.AUTH, 'peer did not speak the tsmpi handshake');
    const nc = msg.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
    const id = msg.subarray(MAGIC.length + NONCE_BYTES, MAGIC.length + NONCE_BYTES + 4);
    const theirs = msg.subarray(MAGIC.length + NONCE_BYTES + 4);
    const ours = mac(secret, Buffer.from('c'), ns, nc, id);
    if (!crypto().timingSafeEqual(ours, theirs)) throw tsmpiError(ErrorCode.AUTH, 'peer does not know the job secret');
    stream.write(mac(secret, Buffer.from('s'), nc, ns));
    return { id: id.readInt32LE(0), rest: reader.detach() };
  })());
}

/** The connecting side: proves itself as `id`, then checks the acceptor's proof. */
export function connectHandshake(stream: Duplex, secret: Buffer, id: number): Promise<Authenticated> {
  return withTimeout(stream, (async () => {
    const reader = new StreamReader(stream);
    const hello = await reader.read(MAGIC.length + NONCE_BYTES);
    if (!hello.subarray(0, MAGIC.length).equals(MAGIC)) throw tsmpiError(ErrorCode.AUTH, 'peer did not speak the tsmpi handshake');
    const ns = hello.subarray(MAGIC.length);
    const nc = crypto().randomBytes(NONCE_BYTES);
    const idb = idBytes(id);
    stream.write(Buffer.concat([MAGIC, nc, idb, mac(secret, Buffer.from('c'), ns, nc, idb)]));
    const proof = await reader.read(MAC_BYTES);
    if (!crypto().timingSafeEqual(proof, mac(secret, Buffer.from('s'), nc, ns))) {
      throw tsmpiError(ErrorCode.AUTH, 'peer failed to prove it knows the job secret');
    }
    return { id, rest: reader.detach() };
  })());
}
