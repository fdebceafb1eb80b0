// How a rank waits (run with -n 2 or more): first 200 small round trips
// between ranks 0 and 1, checked in order; then rank 1 waits for a message
// that rank 0 sends only after <waitMs> ms, and reports the CPU time it spent
// waiting (a polling wait spins, a blocking one sleeps). Other ranks only
// take part in the closing barrier.
// Usage: p2p-wait.mjs <marker> <waitMs>
import assert from 'node:assert/strict';
import { finalize, init } from '@tsmpi/runtime';

const comm = await init();
const waitMs = Number(process.argv[3]);
if (comm.rank === 0) {
  for (let i = 0; i < 200; i++) {
    await comm.send({ i, v: new Float64Array([i, -i]) }, 1, 1);
    assert.equal(await comm.recv(1, 2), i);
  }
  await new Promise((r) => setTimeout(r, waitMs));
  await comm.send('late', 1, 3);
} else if (comm.rank === 1) {
  for (let i = 0; i < 200; i++) {
    const m = await comm.recv(0, 1);
    assert.equal(m.i, i);
    assert.deepEqual(m.v, new Float64Array([i, -i]));
    await comm.send(i, 0, 2);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  assert.equal(await comm.recv(0, 3), 'late');
  const c = process.cpuUsage(c0);
  console.log(`waited ${Math.round(performance.now() - t0)} ms, cpu ${Math.round((c.user + c.system) / 1000)} ms`);
}
await finalize();
