/**
 * What one point-to-point round trip costs, 2 ranks:
 *
 *   node packages/tsmpi/dist/bin.js -n 2 bench/tools/p2p-cost.mjs object-8 12000
 *   node packages/tsmpi/dist/bin.js -n 2 --transport tcp bench/tools/p2p-cost.mjs object-0,typed-8 12000
 *
 * Cases: object-0 / object-8 (`send`/`recv` of the benchmark's small object
 * `{a:1, b:'x', c:[1,2,3]}`, with an 8-byte Float64Array `data` for object-8),
 * typed-8 (a bare 8-byte Float64Array by `send`/`recv`), buffer-8 (`Send`/`Recv`
 * into a preallocated array). For each case: a warm-up of a fifth of the round
 * trips, then the round trips; rank 0 prints the CPU time per round trip of
 * each rank. Under `perf stat -e instructions:u`, the difference between two
 * counts (e.g. 2,000 and 12,000) gives instructions per round trip, both ranks.
 */
import { init, finalize } from 'tsmpi';
import { objectPayload } from '../lib/p2p-driver.mjs';

const [cases = 'object-8', countArg = '10000'] = process.argv.slice(2);
const count = Number(countArg);
const comm = await init();
if (comm.size !== 2) throw new Error('p2p-cost runs on 2 ranks');
const me = comm.rank, other = 1 - me;

function runner(name) {
  const [mode, sizeArg] = name.split('-');
  const size = Number(sizeArg ?? 8);
  if (mode === 'object' || mode === 'typed') {
    const msg = mode === 'object' ? objectPayload(size) : new Float64Array(size / 8).fill(1.5);
    if (me === 0) return async () => { await comm.send(msg, 1, 1); await comm.recv(1, 1); };
    return async () => { await comm.send(await comm.recv(0, 1), 0, 1); };
  }
  if (mode === 'buffer') {
    const msg = new Float64Array(size / 8).fill(1.5), back = new Float64Array(size / 8);
    if (me === 0) return async () => { await comm.Send(msg, 1, 1); await comm.Recv(back, 1, 1); };
    return async () => { await comm.Recv(back, 0, 1); await comm.Send(back, 0, 1); };
  }
  throw new Error(`unknown case ${name}: object-0, object-8, typed-8, buffer-8`);
}

for (const name of cases.split(',')) {
  const step = runner(name);
  for (let i = 0; i < count / 5; i++) await step();
  const c0 = process.cpuUsage();
  for (let i = 0; i < count; i++) await step();
  const c = process.cpuUsage(c0);
  const mine = { user: c.user / count, system: c.system / count };
  const theirs = me === 0 ? await comm.recv(1, 2) : (await comm.send(mine, 0, 2), undefined);
  if (me === 0) {
    const f = (x) => x.toFixed(2);
    console.log(`${name}: CPU µs per round trip, rank 0 user ${f(mine.user)} sys ${f(mine.system)}; rank 1 user ${f(theirs.user)} sys ${f(theirs.system)}`);
  }
}
await finalize();
