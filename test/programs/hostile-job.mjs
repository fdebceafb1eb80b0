// A job to attack: each rank prints its pid, then waits (rank 0 for a line on
// its stdin, the others in a bcast from rank 0). On `go`, the ranks do rounds
// of point-to-point and collective work and check every result; each prints
// `rank R: ok` at the end. With `reveal-secret`, rank 0 also prints the job's
// secret (read from the runtime's internals) so a test can look for it
// where it must not be.
// Usage: hostile-job.mjs [rounds = 20] [reveal-secret]
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { init, SUM } from '@tsmpi/collectives';

const rounds = Number(process.argv[2] ?? 20);
const comm = await init();
const { rank, size } = comm;
console.log(`rank ${rank} pid ${process.pid} ready`);
if (rank === 0 && process.argv.includes('reveal-secret')) console.log(`secret ${comm.engine.transport.o.secret.toString('hex')}`);

let line = null;
if (rank === 0) {
  const lines = createInterface({ input: process.stdin });
  line = (await lines[Symbol.asyncIterator]().next()).value;
  lines.close();
}
assert.equal(await comm.bcast(line, 0), 'go');

const next = (rank + 1) % size, prev = (rank + size - 1) % size;
for (let round = 0; round < rounds; round++) {
  // Point to point: a ring of values and of a 1 MiB array, then every pair at once.
  const v = await comm.sendrecv({ from: rank, round, s: 'x'.repeat(round * 100) }, next, 1, prev, 1);
  assert.deepEqual(v, { from: prev, round, s: 'x'.repeat(round * 100) });
  const big = new Float64Array(131072);
  await comm.Sendrecv(new Float64Array(131072).fill(rank + round), next, 2, big, prev, 2);
  assert.ok(big.every((x) => x === prev + round), 'ring array intact');
  const others = [...Array(size).keys()].filter((r) => r !== rank);
  const rs = others.map((r) => comm.irecv(r, 3));
  const ss = others.map((r) => comm.isend(new Int32Array(1000 + r).fill(rank * 1000 + round), r, 3));
  const got = await Promise.all(rs.map((r) => r.wait()));
  await Promise.all(ss.map((s) => s.wait()));
  got.forEach((a, i) => assert.ok(a instanceof Int32Array && a.length === 1000 + rank && a.every((x) => x === others[i] * 1000 + round), 'pair message intact'));
  // Collectives.
  assert.equal(await comm.allreduce(rank + round, SUM), (size * (size - 1)) / 2 + size * round);
  assert.deepEqual(await comm.allgather(rank * round), [...Array(size).keys()].map((r) => r * round));
  assert.deepEqual(await comm.alltoall([...Array(size).keys()].map((d) => [rank, d, round])), [...Array(size).keys()].map((s) => [s, rank, round]));
  const b = new Uint8Array(2 << 20);
  if (rank === round % size) b.fill(round + 1);
  await comm.Bcast(b, round % size);
  assert.ok(b.every((x) => x === round + 1), 'Bcast intact');
}
await comm.barrier();
console.log(`rank ${rank}: ok`);
