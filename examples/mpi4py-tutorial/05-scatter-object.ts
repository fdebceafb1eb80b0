// Mirrors mpi4py's tutorial, "Collective Communication" → "Scattering Python objects":
//
//   if rank == 0:
//       data = [(i+1)**2 for i in range(size)]
//   else:
//       data = None
//   data = comm.scatter(data, root=0)
//   assert data == (i+1)**2      # i.e. (rank+1)**2
//
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/05-scatter-object.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const size = comm.size;
const rank = comm.rank;

let data: number[] | null;
if (rank === 0) {
  data = Array.from({ length: size }, (_, i) => (i + 1) ** 2);
} else {
  data = null;
}
const mine: number = await comm.scatter(data, 0);
assert.equal(mine, (rank + 1) ** 2);
console.log(`rank ${rank} got ${mine} from scatter`);
