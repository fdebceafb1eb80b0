// Start-up benchmark: the smallest complete tsmpi program (init, a barrier, one line, finalize).
import { init, finalize } from 'tsmpi';

const comm = await init();
await comm.barrier();
console.log(`Hello, World! I am process ${comm.rank} of ${comm.size}.`);
await finalize();
