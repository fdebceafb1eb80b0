import { init, finalize } from '@tsmpi/runtime';
const comm = await init();
const next = (comm.rank + 1) % comm.size, prev = (comm.rank + comm.size - 1) % comm.size;
const v = await comm.sendrecv({ from: comm.rank, arr: new Float64Array([comm.rank]) }, next, 1, prev, 1);
console.log(`rank ${comm.rank}/${comm.size} got`, v);
await finalize();
