// Mirrors mpi4py's tutorial, "Point-to-Point Communication" → "Python objects (pickle under the hood)":
//
//   if rank == 0:
//       data = {'a': 7, 'b': 3.14}
//       comm.send(data, dest=1, tag=11)
//   elif rank == 1:
//       data = comm.recv(source=0, tag=11)
//
// A dict becomes a plain object; any value tsmpi can send travels the same way (no pickle, no size limit).
// Needs at least 2 ranks:  npx tsmpiexec -n 2 examples/mpi4py-tutorial/01-send-recv-object.ts
import assert from 'node:assert/strict';
import { init, Status } from 'tsmpi';

const comm = await init();
const rank = comm.rank;

if (comm.size < 2) {
  // Exit 77 (the "skipped" code of automake test suites): this program cannot run on one rank.
  console.error('01-send-recv-object.ts needs at least 2 ranks; run it with: npx tsmpiexec -n 2 examples/mpi4py-tutorial/01-send-recv-object.ts');
  process.exit(77);
}

if (rank === 0) {
  const data = { a: 7, b: 3.14 };
  await comm.send(data, 1, 11);
} else if (rank === 1) {
  const status = new Status();
  const data = await comm.recv(0, 11, status);
  assert.deepEqual(data, { a: 7, b: 3.14 });
  assert.equal(status.source, 0);
  assert.equal(status.tag, 11);
  console.log(`rank 1 received ${JSON.stringify(data)} from rank ${status.source} with tag ${status.tag}`);
}
