// Every value kind, from empty to a few MiB, passed round the ring of all ranks:
// rank 0 starts each value (all at once, non-blocking), every other rank checks
// what it got and passes it on, and rank 0 checks that each comes back identical
// (-0, holes, Map vs object, Buffer vs Uint8Array, typed-array kinds, bytes).
// Usage: p2p-ring.ts <marker> [--huge]   (--huge adds one 64 MiB Float64Array)
import assert from 'node:assert/strict';
import { finalize, init, Request, Status, ANY_TAG } from '@tsmpi/runtime';
import { allCases, assertIdentical, type Case } from './p2p-values.js';

const comm = await init();
const { rank, size } = comm;
assert.ok(size >= 2, 'run the ring with at least 2 ranks');
const next = (rank + 1) % size;
const prev = (rank + size - 1) % size;

const cases: Case[] = allCases();
if (process.argv.includes('--huge')) {
  const f = new Float64Array(8 * 1024 * 1024); // 64 MiB
  for (let i = 0; i < f.length; i++) f[i] = i * 1.5 - 3;
  f[12345] = -0;
  f[f.length - 1] = NaN;
  cases.push({ name: 'Float64Array 64 MiB', value: f });
}

let bytes = 0;
if (rank === 0) {
  const sends = cases.map((c, i) => comm.isend(c.value, next, i));
  for (let i = 0; i < cases.length; i++) {
    const st = new Status();
    const got = await comm.recv(prev, i, st);
    assertIdentical(got, cases[i]!.value, `${cases[i]!.name} back at rank 0 after ${size} hops`);
    assert.equal(st.source, prev);
    assert.equal(st.tag, i);
    bytes += st.count;
  }
  const done = await Request.waitall(sends);
  assert.ok(done.every((v) => v === undefined), 'a send request completes with undefined');
} else {
  for (let i = 0; i < cases.length; i++) {
    const st = new Status();
    // Odd ranks receive with ANY_TAG: non-overtaking gives the values in send order.
    const got = await comm.recv(prev, rank % 2 ? ANY_TAG : i, st);
    assert.equal(st.tag, i, `rank ${rank}: message ${i} overtaken (got tag ${st.tag})`);
    assert.equal(st.source, prev);
    assertIdentical(got, cases[i]!.value, `${cases[i]!.name} at rank ${rank}`);
    // Pass the received value itself on (its typed arrays are views into the payload).
    if (i % 2) await comm.send(got, next, i); else await comm.isend(got, next, i).wait();
  }
}
await finalize();
if (rank === 0) console.log(`ring ok: ${cases.length} values (${(bytes / 2 ** 20).toFixed(1)} MiB) round ${size} ranks`);
