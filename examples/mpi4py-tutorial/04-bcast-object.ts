// Mirrors mpi4py's tutorial, "Collective Communication" → "Broadcasting a Python dictionary":
//
//   if rank == 0:
//       data = {'key1' : [7, 2.72, 2+3j],
//               'key2' : ( 'abc', 'xyz')}
//   else:
//       data = None
//   data = comm.bcast(data, root=0)
//
// JavaScript has no complex numbers or tuples: the complex 2+3j becomes the object { re: 2, im: 3 } (the
// convention the porting guide uses), and the tuple becomes an array.
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/04-bcast-object.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

interface Complex { re: number; im: number }
type Data = { key1: [number, number, Complex]; key2: [string, string] };

const comm = await init();
const rank = comm.rank;

let data: Data | null;
if (rank === 0) {
  data = {
    key1: [7, 2.72, { re: 2, im: 3 }],
    key2: ['abc', 'xyz'],
  };
} else {
  data = null;
}
data = await comm.bcast(data, 0);

assert.deepEqual(data, { key1: [7, 2.72, { re: 2, im: 3 }], key2: ['abc', 'xyz'] });
if (rank === 0) console.log(`bcast from rank 0 to ${comm.size} ranks: ${JSON.stringify(data)}`);
