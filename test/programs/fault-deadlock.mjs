// Ranks that wait on each other, for the wait report (run with -n 3).
// Usage: fault-deadlock.mjs <mode>
//   deadlock: rank 0 receives from rank 1 (tag 5) while rank 1 receives from
//             rank 0 (tag 6): a cycle; rank 2 waits in a barrier. Never ends.
//   stdin:    rank 1 receives from rank 0 (tag 7) and rank 2 waits in a barrier
//             while rank 0 reads a line from its stdin; once it has one, rank 0
//             sends it to rank 1, everyone meets in the barrier and the job ends.
//   peer-fails: rank 1 exits 3 while rank 0 receives from it (tag 5) and rank 2
//             waits in a barrier.
// Each rank prints `rank R waiting` once it is about to block.
import { createInterface } from 'node:readline';
import { init } from '@tsmpi/collectives';

const mode = process.argv[2] ?? 'deadlock';
const comm = await init();
const { rank } = comm;
console.log(`rank ${rank} waiting`);
if (mode === 'peer-fails') {
  // Rank 1 fails while rank 0 waits for it and rank 2 waits in a barrier.
  if (rank === 1) { await new Promise((r) => setTimeout(r, 300)); process.exit(3); }
  if (rank === 0) await comm.recv(1, 5);
  else await comm.barrier();
  throw new Error('a rank went on past its failed peer');
} else if (mode === 'deadlock') {
  if (rank === 0) await comm.recv(1, 5);
  else if (rank === 1) await comm.recv(0, 6);
  else await comm.barrier();
  throw new Error('a deadlocked rank went on');
} else {
  if (rank === 0) {
    const lines = createInterface({ input: process.stdin });
    const [line] = await lines[Symbol.asyncIterator]().next().then((r) => [r.value]);
    lines.close();
    await comm.send(line, 1, 7);
  } else if (rank === 1) {
    console.log(`rank 1 got ${JSON.stringify(await comm.recv(0, 7))}`);
  }
  await comm.barrier();
  console.log(`rank ${rank} released`);
}
