// Mirrors mpi4py's tutorial, "Point-to-Point Communication" → "Python objects exposing the buffer interface
// (NumPy arrays)":
//
//   # passing MPI datatypes explicitly
//   if rank == 0:
//       data = numpy.arange(1000, dtype='i')
//       comm.Send([data, MPI.INT], dest=1, tag=77)
//   elif rank == 1:
//       data = numpy.empty(1000, dtype='i')
//       comm.Recv([data, MPI.INT], source=0, tag=77)
//
//   # automatic MPI datatype discovery
//   if rank == 0:
//       data = numpy.arange(100, dtype=numpy.float64)
//       comm.Send(data, dest=1, tag=13)
//   elif rank == 1:
//       data = numpy.empty(100, dtype=numpy.float64)
//       comm.Recv(data, source=0, tag=13)
//
// NumPy arrays become typed arrays; the datatype is the typed array's own kind (Int32Array for 'i' / MPI.INT,
// Float64Array for float64 / MPI.DOUBLE), so the explicit and inferred forms are the same call.
// Needs at least 2 ranks:  npx tsmpiexec -n 2 examples/mpi4py-tutorial/03-send-recv-arrays.ts
import assert from 'node:assert/strict';
import { init, Status } from 'tsmpi';

const comm = await init();
const rank = comm.rank;

if (comm.size < 2) {
  // Exit 77 (the "skipped" code of automake test suites): this program cannot run on one rank.
  console.error('03-send-recv-arrays.ts needs at least 2 ranks; run it with: npx tsmpiexec -n 2 examples/mpi4py-tutorial/03-send-recv-arrays.ts');
  process.exit(77);
}

/** numpy.arange(n) in the given typed-array kind. */
function arange<T extends Int32Array | Float64Array>(Kind: { new (n: number): T }, n: number): T {
  const a = new Kind(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

// 1000 ints, tag 77 ("passing MPI datatypes explicitly": the Int32Array is the datatype)
if (rank === 0) {
  const data = arange(Int32Array, 1000);
  await comm.Send(data, 1, 77);
} else if (rank === 1) {
  const data = new Int32Array(1000);
  const status = new Status();
  await comm.Recv(data, 0, 77, status);
  assert.equal(status.getCount(Int32Array), 1000);
  for (let i = 0; i < 1000; i++) assert.equal(data[i], i);
}

// 100 float64, tag 13 ("automatic MPI datatype discovery")
if (rank === 0) {
  const data = arange(Float64Array, 100);
  await comm.Send(data, 1, 13);
} else if (rank === 1) {
  const data = new Float64Array(100);
  const status = await comm.Recv(data, 0, 13);
  assert.equal(status.count, 100 * Float64Array.BYTES_PER_ELEMENT);
  for (let i = 0; i < 100; i++) assert.equal(data[i], i);
  console.log('rank 1 received 1000 int32 (tag 77) and 100 float64 (tag 13) in place');
}
