// Very large messages (the opt-in heavy tests): point to point and broadcast
// of one typed array of <bytes>, and a value made of several arrays whose total
// passes 4 GiB (one typed array cannot: Node 20 caps a buffer at 4 GiB).
// Usage: heavy.mjs <p2p | bcast | p2p-value> <bytes>
// Each rank prints `heavy: rank R <op> <bytes> bytes ok in <ms> ms, peak RSS <MiB> MiB`.
import { init } from '@tsmpi/collectives';

const [op = 'p2p', bytesArg = String(2 ** 30)] = process.argv.slice(2);
const bytes = Number(bytesArg);
const comm = await init();
const { rank } = comm;
const CHUNK = 1 << 20;
/** Fill `a` with one byte value per MiB (cheap to write and to check). */
const fill = (a, salt) => { for (let o = 0; o < a.length; o += CHUNK) a.fill((o / CHUNK + salt) & 0xff, o, Math.min(o + CHUNK, a.length)); return a; };
function check(a, salt, what) {
  if (!(a instanceof Uint8Array) || a.length === undefined) throw new Error(`${what}: not a Uint8Array`);
  for (let o = 0; o < a.length; o += CHUNK) {
    const want = (o / CHUNK + salt) & 0xff, end = Math.min(o + CHUNK, a.length);
    if (a[o] !== want || a[end - 1] !== want || a[(o + end) >>> 1] !== want) throw new Error(`${what}: wrong bytes in MiB ${o / CHUNK}`);
  }
}
await comm.barrier();
const t0 = Date.now();
if (op === 'p2p') {
  if (rank === 0) await comm.Send(fill(new Uint8Array(bytes), 1), 1, 1);
  else if (rank === 1) { const a = new Uint8Array(bytes); await comm.Recv(a, 0, 1); check(a, 1, 'Recv'); }
} else if (op === 'bcast') {
  const a = new Uint8Array(bytes);
  if (rank === 0) fill(a, 2);
  await comm.Bcast(a, 0);
  check(a, 2, 'Bcast');
} else if (op === 'p2p-value') {
  // A value whose arrays add up to <bytes>, in pieces of at most 2 GiB.
  const piece = 2 ** 31;
  if (rank === 0) {
    const parts = [];
    for (let left = bytes, i = 0; left > 0; left -= piece, i++) parts.push(fill(new Uint8Array(Math.min(piece, left)), i));
    await comm.send({ parts }, 1, 2);
  } else if (rank === 1) {
    const { parts } = await comm.recv(0, 2);
    let total = 0;
    parts.forEach((p, i) => { check(p, i, `part ${i}`); total += p.length; });
    if (total !== bytes) throw new Error(`received ${total} bytes of ${bytes}`);
  }
} else {
  throw new Error(`unknown op ${op}`);
}
await comm.barrier();
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`heavy: rank ${rank} ${op} ${bytes} bytes ok in ${Date.now() - t0} ms, peak RSS ${rss.toFixed(0)} MiB`);
