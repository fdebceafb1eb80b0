// Mirrors mpi4py's tutorial, "Collective Communication" → "Broadcasting a NumPy array":
//
//   if rank == 0:
//       data = np.arange(100, dtype='i')
//   else:
//       data = np.empty(100, dtype='i')
//   comm.Bcast(data, root=0)
//   for i in range(100):
//       assert data[i] == i
//
// Uppercase Bcast fills the typed array in place on every rank, as with a NumPy array.
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/07-bcast-array.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const rank = comm.rank;

const data = new Int32Array(100); // np.empty(100, dtype='i') (a typed array starts zeroed)
if (rank === 0) {
  for (let i = 0; i < 100; i++) data[i] = i; // np.arange(100, dtype='i')
}
await comm.Bcast(data, 0);
for (let i = 0; i < 100; i++) assert.equal(data[i], i);
if (rank === 0) console.log(`Bcast of arange(100) int32 reached ${comm.size} ranks`);
