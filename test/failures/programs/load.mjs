// Load: every rank exchanges with every other, over and over, for a few
// seconds — alltoall (values and typed arrays) and point-to-point to all at
// once — checking every result. Run with many ranks (the test uses 32).
// Usage: load.mjs <seconds>
// Rank 0 prints `load: <iterations> iterations, <messages> messages in <ms> ms on <size> ranks`.
import assert from 'node:assert/strict';
import { init, SUM } from '@tsmpi/collectives';

const seconds = Number(process.argv[2] ?? 3);
const comm = await init();
const { rank, size } = comm;
const others = [...Array(size).keys()].filter((r) => r !== rank);
await comm.barrier();
const t0 = Date.now();
let iterations = 0, messages = 0;
for (let go = true; go; iterations++) {
  const i = iterations;
  // alltoall of values
  const got = await comm.alltoall([...Array(size).keys()].map((d) => ({ from: rank, to: d, i })));
  got.forEach((v, s) => assert.deepEqual(v, { from: s, to: rank, i }));
  // Alltoall of typed arrays: 64 ints per peer
  const send = new Int32Array(size * 64);
  for (let d = 0; d < size; d++) send.fill(rank * 1_000_000 + d * 1000 + (i % 1000), d * 64, (d + 1) * 64);
  const recv = new Int32Array(size * 64);
  await comm.Alltoall(send, recv);
  for (let s = 0; s < size; s++) assert.equal(recv[s * 64 + 63], s * 1_000_000 + rank * 1000 + (i % 1000));
  // point to point, everyone to everyone at once
  const rs = others.map((s) => comm.irecv(s, 3));
  const ss = others.map((d) => comm.isend(new Float64Array(256).fill(rank + i / 1000 + d), d, 3));
  const vals = await Promise.all(rs.map((r) => r.wait()));
  await Promise.all(ss.map((s) => s.wait()));
  vals.forEach((a, k) => assert.ok(a instanceof Float64Array && a.length === 256 && a[0] === others[k] + i / 1000 + rank && a[255] === a[0]));
  messages += 2 * others.length + others.length;
  // Go on? Rank 0 decides from its clock, everyone agrees.
  if (i % 4 === 3) go = await comm.bcast(rank === 0 ? Date.now() - t0 < seconds * 1000 : null, 0);
}
const total = await comm.allreduce(messages, SUM);
if (rank === 0) console.log(`load: ${iterations} iterations, ${total} messages in ${Date.now() - t0} ms on ${size} ranks`);
