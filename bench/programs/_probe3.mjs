import { init, finalize, SUM } from 'tsmpi';
const comm = await init();
const N = 60000; const f = new Float64Array(1); const peer = comm.rank ^ 1;
for (let i = 0; i < N; i++) await comm.Sendrecv(f, peer, 0, f, peer, 0);
await finalize();
