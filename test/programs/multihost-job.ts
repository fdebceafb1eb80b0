// A job spread over several hosts: point-to-point and collective traffic across the bridge.
// argv: mode [marker]; mode = ok | fail-remote | hang | env
import assert from 'node:assert/strict';
import { init, SUM, MAX } from 'tsmpi';

const mode = process.argv[2] ?? 'ok';
const comm = await init();
const { rank, size } = comm;
const bind = process.env.TSMPI_BIND!;

if (mode === 'env') {
  console.log(`rank ${rank} FORWARDED=${process.env.TSMPI_TEST_FORWARDED ?? '<unset>'} SET=${process.env.TSMPI_TEST_SET ?? '<unset>'} WAIT=${process.env.TSMPI_WAIT ?? '<unset>'}`);
} else if (mode === 'hang') {
  console.log(`rank ${rank} waiting`);
  await comm.recv(); // nobody sends: the test kills tsmpiexec
} else {
  // Where each rank listens: the address of its own host on the bridge.
  const binds = await comm.allgather(bind);
  const total = await comm.allreduce(rank, SUM);
  assert.equal(total, (size * (size - 1)) / 2);
  const last = await comm.bcast(rank === size - 1 ? { from: rank, data: new Float64Array([1, 2, 3]) } : null, size - 1);
  assert.deepEqual(last, { from: size - 1, data: new Float64Array([1, 2, 3]) });
  // A ring of 1 MiB typed arrays.
  const out = new Float64Array(131072).fill(rank);
  const got = new Float64Array(131072);
  await comm.Sendrecv(out, (rank + 1) % size, 7, got, (rank + size - 1) % size, 7);
  assert.ok(got.every((x) => x === (rank + size - 1) % size));
  const sum = new Float64Array(4);
  await comm.Allreduce(new Float64Array(4).fill(rank + 1), sum, SUM);
  assert.deepEqual([...sum], new Array(4).fill((size * (size + 1)) / 2));
  assert.equal(await comm.allreduce(rank, MAX), size - 1);
  if (mode === 'fail-remote' && rank === size - 1) {
    console.error(`rank ${rank} failing on purpose`);
    process.exit(5);
  }
  await comm.barrier();
  if (rank === 0) console.log(`binds ${JSON.stringify(binds)}`);
  console.log(`rank ${rank} of ${size} ok on ${bind}`);
}
