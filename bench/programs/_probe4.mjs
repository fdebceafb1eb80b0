import { init, finalize, SUM } from 'tsmpi';
const comm = await init();
const N = 20000; const f = new Float64Array(1);
for (let i = 0; i < 3000; i++) { if (comm.rank === 0) { await comm.Send(f, 1, 0); await comm.Recv(f, 1, 0); } else { await comm.Recv(f, 0, 0); await comm.Send(f, 0, 0); } }
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < N; i++) { if (comm.rank === 0) { await comm.Send(f, 1, 0); await comm.Recv(f, 1, 0); } else { await comm.Recv(f, 0, 0); await comm.Send(f, 0, 0); } }
const dt = (performance.now() - t0) / N * 1000; const c = process.cpuUsage(c0);
const x = [];
for (let i = 0; i < 5000; i++) x.push(await comm.allreduce(1, SUM));
const t1 = performance.now(); for (let i = 0; i < 5000; i++) await comm.barrier(); const b = (performance.now() - t1) / 5000 * 1000;
console.log(comm.rank, 'rtt', dt.toFixed(1), 'us; user', (c.user / N).toFixed(1), 'sys', (c.system / N).toFixed(1), 'barrier', b.toFixed(1));
await finalize();
