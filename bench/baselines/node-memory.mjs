/**
 * Memory limit for a Node process: the peak RSS over rest while receiving one
 * N-byte length-prefixed message over a Unix or TCP socket, copied chunk by
 * chunk into one buffer allocated from the length (as tsmpi does).
 *
 *   node node-memory.mjs send unix|tcp N          → prints "LISTEN addr", sends one message to whoever connects
 *   node node-memory.mjs recv unix|tcp ADDR READS → prints the result line
 *
 * READS: `default` — the socket's usual 'data' events (a fresh 64 KiB Buffer
 * per read, freed by a later GC); `onread` — one reused read buffer (Node's
 * `onread` option, available on sockets the process dials).
 */
import net from 'node:net';
import { rmSync } from 'node:fs';
import { emit, gc, peakRssBytes, resetPeak, rssBytes } from '../lib/measure.mjs';

const [role, kind, arg, reads] = process.argv.slice(2);
const MiB = 1 << 20;

if (role === 'send') {
  const n = Number(arg);
  const big = new Uint8Array(n).fill(1);
  const server = net.createServer((s) => {
    // The one receiver is in: the socket's path is no longer needed (and is gone even if this process is killed).
    if (kind === 'unix') rmSync(server.address(), { force: true });
    s.setNoDelay(true);
    s.once('data', () => { // the receiver is at rest: send
      const h = Buffer.alloc(4);
      h.writeUInt32LE(n);
      s.write(h);
      s.write(big, () => s.end());
    });
    s.on('close', () => process.exit(0));
  });
  if (kind === 'unix') {
    const path = `/tmp/tsmpi-bench-mem-${process.pid}.sock`;
    rmSync(path, { force: true });
    process.on('exit', () => rmSync(path, { force: true }));
    server.listen(path, () => console.log(`LISTEN ${path}`));
  } else {
    server.listen(0, '127.0.0.1', () => console.log(`LISTEN 127.0.0.1:${server.address().port}`));
  }
} else {
  let dst, got = 0, need = -1, rest = 0;
  const take = (chunk) => {
    let off = 0;
    if (need < 0) { need = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).readUInt32LE(0); off = 4; dst = new Uint8Array(need); }
    dst.set(chunk.subarray(off), got);
    got += chunk.length - off;
    if (got === need) {
      emit({ kind: 'memory-raw', reads, bytes: need, rest_MiB: rest / MiB, over_rest_MiB: (peakRssBytes() - rest) / MiB });
      process.exit(0);
    }
  };
  const where = kind === 'unix' ? { path: arg } : { host: arg.split(':')[0], port: Number(arg.split(':')[1]) };
  const opts = reads === 'onread' ? { ...where, onread: { buffer: Buffer.allocUnsafe(65536), callback: (n, buf) => take(buf.subarray(0, n)) } } : where;
  const s = net.connect(opts, async () => {
    gc();
    await new Promise((r) => setTimeout(r, 200));
    gc();
    rest = rssBytes();
    resetPeak();
    s.write('go');
  });
  if (reads !== 'onread') s.on('data', take);
}
