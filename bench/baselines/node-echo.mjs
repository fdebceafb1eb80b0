/**
 * The limit for a Node process: a minimal length-prefixed echo between two
 * Node processes over the same kinds of socket tsmpi uses (TCP, Unix, ws),
 * driven by the same plan as the tsmpi benchmark (bench/lib/p2p-driver.mjs).
 *
 *   node node-echo.mjs serve tcp|unix|ws [poll]           → prints "LISTEN <address>"
 *   node node-echo.mjs client tcp|unix|ws ADDR CFG [poll] → prints the result line
 *
 * `poll`: both processes keep their event loop turning (setImmediate) all the
 * time, so libuv polls the socket instead of sleeping in epoll_wait: the
 * limit for a Node process that polls, as tsmpi's ranks do by default when
 * they do not outnumber the cores (TSMPI_WAIT, runtime engine/poll-wait.ts).
 *
 * TCP/Unix frames: u32 LE payload length, u32 LE op, payload. Op 0 is echoed,
 * op 1 is swallowed, op 2 is swallowed and answered with an empty frame (the
 * bandwidth acknowledgement). Frames under 64 KiB are written as one buffer
 * (one write() beats a vectored one for small messages), larger ones as
 * header + payload without copying the payload. The receiver copies each payload straight into
 * one buffer allocated from the length (never collected and concatenated).
 * ws: one binary message per payload (ws frames carry their own length); a
 * text message "sink N" makes the server swallow N messages, then send "ack".
 * Nagle is off everywhere; ws without compression, and the client masks with
 * an all-zero key, which ws skips (client-to-server masking in JavaScript
 * otherwise limits ws to a few hundred MB/s when bufferutil is not installed).
 */
import net from 'node:net';
import { rmSync } from 'node:fs';
import { WebSocket, WebSocketServer } from 'ws';
import { emit, now } from '../lib/measure.mjs';
import { driveP2P } from '../lib/p2p-driver.mjs';

const [role, kind, ...rest] = process.argv.slice(2);
const poll = rest.at(-1) === 'poll';
const [addr, cfgText] = poll ? rest.slice(0, -1) : rest;
const MAX = 1 << 30;

/** Keep the event loop turning until the process ends (the polling wait, unbounded: the limit). */
function spin() {
  const turn = () => setImmediate(turn);
  turn();
}

/** Length-prefixed frame decoder: payloads copied into a buffer allocated from the header. */
class Decoder {
  constructor(onFrame) { this.onFrame = onFrame; this.head = Buffer.alloc(8); this.have = 0; this.payload = null; this.filled = 0; this.op = 0; }
  push(chunk) {
    let off = 0;
    while (off < chunk.length) {
      if (this.payload) {
        const n = Math.min(chunk.length - off, this.payload.length - this.filled);
        this.payload.set(chunk.subarray(off, off + n), this.filled);
        this.filled += n; off += n;
        if (this.filled === this.payload.length) { const p = this.payload; this.payload = null; this.onFrame(this.op, p); }
        continue;
      }
      const n = Math.min(chunk.length - off, 8 - this.have);
      chunk.copy(this.head, this.have, off, off + n);
      this.have += n; off += n;
      if (this.have < 8) continue;
      this.have = 0;
      const len = this.head.readUInt32LE(0);
      this.op = this.head.readUInt32LE(4);
      if (len === 0) { this.onFrame(this.op, new Uint8Array(0)); continue; }
      this.payload = new Uint8Array(len); this.filled = 0;
    }
  }
}

function head(len, op) {
  const h = Buffer.allocUnsafe(8);
  h.writeUInt32LE(len, 0); h.writeUInt32LE(op, 4);
  return h;
}

/** Small frames go out as one buffer in one write() (cheaper than a vectored write); large ones header + payload, uncopied. */
const COALESCE_BELOW = 65536;

function writeFrame(sock, op, payload, cb) {
  if (payload.byteLength < COALESCE_BELOW) {
    const b = Buffer.allocUnsafe(8 + payload.byteLength);
    b.writeUInt32LE(payload.byteLength, 0);
    b.writeUInt32LE(op, 4);
    b.set(payload, 8);
    sock.write(b, cb);
    return;
  }
  sock.cork();
  sock.write(head(payload.byteLength, op));
  if (payload.byteLength) sock.write(payload, cb); else if (cb) process.nextTick(cb);
  sock.uncork();
}

// ---- server ----

function serveNet() {
  const path = `/tmp/tsmpi-bench-echo-${process.pid}.sock`;
  const onConn = (sock) => {
    // The one client is in: the path is not needed any more, and the bench ends this server with
    // SIGKILL, which runs no exit handler (a polling server was often still busy when it came).
    if (kind === 'unix') rmSync(path, { force: true });
    sock.setNoDelay(true);
    const d = new Decoder((op, p) => {
      if (op === 0) writeFrame(sock, 0, p);
      else if (op === 2) writeFrame(sock, 0, new Uint8Array(0));
    });
    sock.on('data', (c) => d.push(c));
    sock.on('close', () => process.exit(0));
    sock.on('error', () => process.exit(0));
  };
  const server = net.createServer({ noDelay: true }, onConn);
  if (kind === 'unix') {
    rmSync(path, { force: true });
    process.on('exit', () => rmSync(path, { force: true }));
    server.listen(path, () => console.log(`LISTEN ${path}`));
  } else {
    server.listen(0, '127.0.0.1', () => console.log(`LISTEN 127.0.0.1:${server.address().port}`));
  }
}

function serveWs() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: MAX }, () => {
    console.log(`LISTEN ws://127.0.0.1:${wss.address().port}`);
  });
  wss.on('connection', (ws) => {
    ws._socket?.setNoDelay(true);
    let sink = 0;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) { sink = Number(String(data).split(' ')[1]); return; }
      if (sink > 0) { if (--sink === 0) ws.send('ack'); return; }
      ws.send(data);
    });
    ws.on('close', () => process.exit(0));
  });
}

// ---- client ----

async function clientNet(cfg) {
  const sock = await new Promise((resolve, reject) => {
    const s = kind === 'unix' ? net.connect({ path: addr }) : net.connect({ host: addr.split(':')[0], port: Number(addr.split(':')[1]), noDelay: true });
    s.once('error', reject);
    s.once('connect', () => { s.setNoDelay(true); resolve(s); });
  });
  let waiting;
  const d = new Decoder(() => { const w = waiting; waiting = undefined; w(); });
  sock.on('data', (c) => d.push(c));
  const reply = () => new Promise((r) => { waiting = r; });
  const written = (op, p) => new Promise((r) => writeFrame(sock, op, p, r));
  const rtt = async (_mode, size, n) => {
    const msg = new Float64Array(size / 8).fill(1.5);
    const bytes = new Uint8Array(msg.buffer);
    const times = new Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = now();
      const r = reply();
      writeFrame(sock, 0, bytes);
      await r;
      times[i] = now() - t0;
    }
    return times;
  };
  const bw = async (_mode, size, n) => {
    const bytes = new Uint8Array(new Float64Array(size / 8).fill(1.5).buffer);
    const t0 = now();
    const ack = reply();
    for (let i = 0; i < n; i++) await written(i === n - 1 ? 2 : 1, bytes);
    await ack;
    return now() - t0;
  };
  const result = await driveP2P(cfg, { rttModes: ['raw'], bwModes: ['raw'], rtt, bw });
  sock.end();
  return result;
}

async function clientWs(cfg) {
  const ws = await new Promise((resolve, reject) => {
    // An all-zero mask makes ws skip masking (a 10-40x gain without bufferutil, measured here):
    // the best a Node process can do over ws, so the limit.
    const w = new WebSocket(addr, { perMessageDeflate: false, maxPayload: MAX, generateMask: (mask) => mask.fill(0) });
    w.once('error', reject);
    w.once('open', () => { w._socket?.setNoDelay(true); resolve(w); });
  });
  let waiting;
  ws.on('message', () => { const w = waiting; waiting = undefined; w(); });
  const reply = () => new Promise((r) => { waiting = r; });
  const rtt = async (_mode, size, n) => {
    const bytes = new Uint8Array(new Float64Array(size / 8).fill(1.5).buffer);
    const times = new Array(n);
    for (let i = 0; i < n; i++) {
      const t0 = now();
      const r = reply();
      ws.send(bytes);
      await r;
      times[i] = now() - t0;
    }
    return times;
  };
  const bw = async (_mode, size, n) => {
    const bytes = new Uint8Array(new Float64Array(size / 8).fill(1.5).buffer);
    ws.send(`sink ${n}`);
    const t0 = now();
    const ack = reply();
    for (let i = 0; i < n; i++) await new Promise((r) => ws.send(bytes, r));
    await ack;
    return now() - t0;
  };
  const result = await driveP2P(cfg, { rttModes: ['raw'], bwModes: ['raw'], rtt, bw });
  ws.close();
  return result;
}

if (role === 'serve') {
  if (kind === 'ws') serveWs(); else serveNet();
  if (poll) spin();
} else if (role === 'client') {
  const cfg = JSON.parse(cfgText);
  if (poll) spin();
  const result = kind === 'ws' ? await clientWs(cfg) : await clientNet(cfg);
  emit({ kind: 'p2p', ...result });
  if (poll) process.exit(0);
} else {
  console.error('usage: node-echo.mjs serve KIND [poll] | client KIND ADDR CFG [poll]');
  process.exit(2);
}
