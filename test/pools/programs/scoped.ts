// withExecutor inside an SPMD program (mpi4py's MPICommExecutor): the root maps tasks while the other ranks
// serve; then the other ranks run the body with null, and every rank goes on with collectives of its own.
// Root given as the first argument (default 0). Prints one line per rank.
import assert from 'node:assert/strict';
import { init, SUM, withExecutor } from 'tsmpi';
import { square } from '../../../packages/pool/test/fixtures/tasks.js';

const comm = await init();
const root = Number(process.argv[2] ?? 0);
const before = await comm.allreduce(1, SUM);
assert.equal(before, comm.size);

const result = await withExecutor(comm, root, async (executor) => {
  if (!executor) return 'served';
  assert.equal(executor.numWorkers, Math.max(1, comm.size - 1));
  const squares = await executor.map(square, [1, 2, 3, 4, 5]).toArray();
  return squares.join(',');
});

// Every rank is back in the SPMD program: the world still works, and the pool's traffic did not disturb it.
const after = await comm.allgather(result);
if (comm.rank === root) console.log(`root ${root}: ${after.join(' | ')}`);
await comm.barrier();
console.log(`rank ${comm.rank} continues after withExecutor (${result})`);
