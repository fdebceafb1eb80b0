import { init, finalize, SUM } from 'tsmpi';
const comm = await init();
const N = 5000;
async function t(name, fn) {
  for (let i = 0; i < 2000; i++) await fn();
  await comm.barrier();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const dt = (performance.now() - t0) / N * 1000; const c = process.cpuUsage(c0);
  const all = await comm.gather([dt, (c.user + c.system) / N], 0);
  if (comm.rank === 0) console.log(name, all.map(([a, b]) => `${a.toFixed(1)}us cpu ${b.toFixed(1)}`).join(' | '));
}
const peer = comm.rank ^ 1;
const f = new Float64Array(1);
await t('barrier', () => comm.barrier());
await t('allreduce1', () => comm.allreduce(1, SUM));
await t('pingpong', async () => { if (comm.rank === 0) { await comm.Send(f, 1, 0); await comm.Recv(f, 1, 0); } else { await comm.Recv(f, 0, 0); await comm.Send(f, 0, 0); } });
await t('sendrecv', () => comm.Sendrecv(f, peer, 0, f, peer, 0));
await finalize();
