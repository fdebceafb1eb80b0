// Mirrors mpi4py's tutorial, "Collective Communication" → "Gathering NumPy arrays":
//
//   sendbuf = np.zeros(100, dtype='i') + rank
//   recvbuf = None
//   if rank == 0:
//       recvbuf = np.empty([size, 100], dtype='i')
//   comm.Gather(sendbuf, recvbuf, root=0)
//   if rank == 0:
//       for i in range(size):
//           assert np.allclose(recvbuf[i,:], i)
//
// The [size, 100] receive array is one flat Int32Array in row-major order: row i is subarray(i*100, (i+1)*100).
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/09-gather-array.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const size = comm.size;
const rank = comm.rank;
const cols = 100;

const sendbuf = new Int32Array(cols).fill(rank); // np.zeros(100, dtype='i') + rank
let recvbuf: Int32Array | null = null;
if (rank === 0) recvbuf = new Int32Array(size * cols); // np.empty([size, 100], dtype='i')
await comm.Gather(sendbuf, recvbuf, 0);
if (rank === 0) {
  assert.ok(recvbuf !== null);
  for (let i = 0; i < size; i++) {
    const row = recvbuf.subarray(i * cols, (i + 1) * cols); // recvbuf[i, :]
    assert.ok(row.every((v) => v === i), `row ${i} should be all ${i}`);
  }
  console.log(`rank 0 gathered a [${size}, ${cols}] int32 array, row i all i`);
}
