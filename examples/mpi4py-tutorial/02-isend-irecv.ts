// Mirrors mpi4py's tutorial, "Point-to-Point Communication" → "Python objects with non-blocking communication":
//
//   if rank == 0:
//       data = {'a': 7, 'b': 3.14}
//       req = comm.isend(data, dest=1, tag=11)
//       req.wait()
//   elif rank == 1:
//       req = comm.irecv(source=0, tag=11)
//       data = req.wait()
//
// Unlike mpi4py's irecv(), tsmpi's irecv() needs no buffer size: a message of any size is received.
// Needs at least 2 ranks:  npx tsmpiexec -n 2 examples/mpi4py-tutorial/02-isend-irecv.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const rank = comm.rank;

if (comm.size < 2) {
  // Exit 77 (the "skipped" code of automake test suites): this program cannot run on one rank.
  console.error('02-isend-irecv.ts needs at least 2 ranks; run it with: npx tsmpiexec -n 2 examples/mpi4py-tutorial/02-isend-irecv.ts');
  process.exit(77);
}

if (rank === 0) {
  const data = { a: 7, b: 3.14 };
  const req = comm.isend(data, 1, 11);
  await req.wait();
} else if (rank === 1) {
  const req = comm.irecv(0, 11);
  const data = await req.wait();
  assert.deepEqual(data, { a: 7, b: 3.14 });
  // test() is synchronous: once wait() has resolved, it reports [true, value].
  assert.deepEqual(req.test(), [true, data]);
  console.log(`rank 1 received ${JSON.stringify(data)} with irecv/wait`);
}
