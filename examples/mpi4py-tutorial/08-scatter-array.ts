// Mirrors mpi4py's tutorial, "Collective Communication" → "Scattering NumPy arrays":
//
//   sendbuf = None
//   if rank == 0:
//       sendbuf = np.empty([size, 100], dtype='i')
//       sendbuf.T[:,:] = range(size)
//   recvbuf = np.empty(100, dtype='i')
//   comm.Scatter(sendbuf, recvbuf, root=0)
//   assert np.allclose(recvbuf, rank)
//
// A 2-D NumPy array becomes one flat typed array in row-major (C) order with its shape kept beside it:
// element [i, j] of a [rows, cols] array is at index i * cols + j, and row i is subarray(i*cols, (i+1)*cols).
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/08-scatter-array.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const size = comm.size;
const rank = comm.rank;
const cols = 100;

let sendbuf: Int32Array | null = null;
if (rank === 0) {
  sendbuf = new Int32Array(size * cols); // shape [size, 100]
  for (let i = 0; i < size; i++) sendbuf.fill(i, i * cols, (i + 1) * cols); // row i is all i
}
const recvbuf = new Int32Array(cols);
await comm.Scatter(sendbuf, recvbuf, 0);
assert.ok(recvbuf.every((v) => v === rank), `rank ${rank} expected a row of ${rank}s`);
console.log(`rank ${rank} got row ${rank} of the [${size}, ${cols}] array`);
