// Very large messages (the opt-in heavy tests): one Float64Array of <bytes>
// point to point (Send/Recv into a preallocated array, or send/recv), broadcast
// (Bcast, or bcast of the value), and a value made of several arrays whose
// total is <bytes>. Above 4 GiB (the largest Uint8Array on Node 20) the
// runtime sends and receives through windows of one ArrayBuffer.
// Usage: heavy.mjs <p2p | p2p-recv | bcast | bcast-value | p2p-value> <bytes>
// Each rank prints `heavy: rank R <op> <bytes> bytes ok in <ms> ms, peak RSS <MiB> MiB`.
import { init } from '@tsmpi/collectives';

const [op = 'p2p', bytesArg = String(2 ** 30)] = process.argv.slice(2);
const bytes = Number(bytesArg);
const comm = await init();
const { rank } = comm;
const CHUNK = 1 << 17; // elements: 1 MiB of float64
/** Fill `a` with one value per MiB (cheap to write and to check). */
const fill = (a, salt) => { for (let o = 0; o < a.length; o += CHUNK) a.fill((o / CHUNK + salt) % 251, o, Math.min(o + CHUNK, a.length)); return a; };
function check(a, salt, what) {
  if (!(a instanceof Float64Array)) throw new Error(`${what}: not a Float64Array (${a?.constructor?.name})`);
  for (let o = 0; o < a.length; o += CHUNK) {
    const want = (o / CHUNK + salt) % 251, end = Math.min(o + CHUNK, a.length);
    if (a[o] !== want || a[end - 1] !== want || a[Math.floor((o + end) / 2)] !== want) throw new Error(`${what}: wrong data in MiB ${o / CHUNK}`);
  }
}
const f64 = (n) => new Float64Array(n / 8);
await comm.barrier();
const t0 = Date.now();
if (op === 'p2p') {
  if (rank === 0) await comm.Send(fill(f64(bytes), 1), 1, 1);
  else if (rank === 1) { const a = f64(bytes); await comm.Recv(a, 0, 1); check(a, 1, 'Recv'); }
} else if (op === 'p2p-recv') {
  if (rank === 0) await comm.send(fill(f64(bytes), 3), 1, 1);
  else if (rank === 1) check(await comm.recv(0, 1), 3, 'recv');
} else if (op === 'bcast') {
  const a = f64(bytes);
  if (rank === 0) fill(a, 2);
  await comm.Bcast(a, 0);
  check(a, 2, 'Bcast');
} else if (op === 'bcast-value') {
  const a = await comm.bcast(rank === 0 ? fill(f64(bytes), 4) : null, 0);
  check(a, 4, 'bcast');
} else if (op === 'p2p-value') {
  // A value whose arrays add up to <bytes>, in pieces of at most 2 GiB.
  const piece = 2 ** 31;
  if (rank === 0) {
    const parts = [];
    for (let left = bytes, i = 0; left > 0; left -= piece, i++) parts.push(fill(f64(Math.min(piece, left)), i));
    await comm.send({ parts }, 1, 2);
  } else if (rank === 1) {
    const { parts } = await comm.recv(0, 2);
    let total = 0;
    parts.forEach((p, i) => { check(p, i, `part ${i}`); total += p.byteLength; });
    if (total !== bytes) throw new Error(`received ${total} bytes of ${bytes}`);
  }
} else {
  throw new Error(`unknown op ${op}`);
}
await comm.barrier();
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`heavy: rank ${rank} ${op} ${bytes} bytes ok in ${Date.now() - t0} ms, peak RSS ${rss.toFixed(0)} MiB`);
