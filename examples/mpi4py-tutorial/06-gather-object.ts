// Mirrors mpi4py's tutorial, "Collective Communication" → "Gathering Python objects":
//
//   data = (rank+1)**2
//   data = comm.gather(data, root=0)
//   if rank == 0:
//       for i in range(size):
//           assert data[i] == (i+1)**2
//   else:
//       assert data is None
//
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/06-gather-object.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const size = comm.size;
const rank = comm.rank;

const data = (rank + 1) ** 2;
const gathered: number[] | null = await comm.gather(data, 0);
if (rank === 0) {
  assert.ok(gathered !== null);
  assert.equal(gathered.length, size);
  for (let i = 0; i < size; i++) assert.equal(gathered[i], (i + 1) ** 2);
  console.log(`rank 0 gathered ${JSON.stringify(gathered)}`);
} else {
  assert.equal(gathered, null);
}
