// A program started without tsmpiexec (`npx tsx p2p-singleton.ts` or, copied to
// a .js file, `node p2p-singleton.js`) is a world of size 1 whose sends to self work.
// Written in the JavaScript subset of TypeScript (no type syntax) so that the
// singleton test runs this very file with plain node as well.
// Usage: p2p-singleton.ts <marker>
import assert from 'node:assert/strict';
import { ANY_SOURCE, ANY_TAG, finalize, init, PROC_NULL, Request, Status, TsmpiError } from '@tsmpi/runtime';

const comm = await init();
assert.equal(comm.rank, 0);
assert.equal(comm.size, 1);
assert.equal(await init(), comm, 'init() returns the same world every time');

await comm.send({ a: 7, b: 3.14, m: new Map([[1, -0]]) }, 0, 11);
const st = new Status();
const v = await comm.recv(ANY_SOURCE, ANY_TAG, st);
assert.deepEqual(v, { a: 7, b: 3.14, m: new Map([[1, -0]]) });
assert.ok(Object.is(v.m.get(1), -0));
assert.deepEqual([st.source, st.tag], [0, 11]);

const q = comm.irecv(0, 12);
assert.deepEqual(q.test(), [false, undefined]);
const r = comm.isend(new BigInt64Array([-1n, 2n ** 62n]), 0, 12);
const values = await Request.waitall([r, q]);
assert.equal(values[0], undefined);
assert.ok(values[1] instanceof BigInt64Array && values[1][1] === 2n ** 62n);

const out = new Float32Array([1.5, -2, NaN]);
await comm.Send(out, 0, 13);
const into = new Float32Array(3);
await comm.Recv(into, 0, 13);
assert.deepEqual(into, out);

assert.equal(await comm.sendrecv('to myself', 0, 14, 0, 14), 'to myself');
assert.equal(await comm.recv(PROC_NULL), null);

let err;
try {
  await comm.send('x', 1);
} catch (e) {
  err = e;
}
assert.ok(TsmpiError.is(err) && err.code === 'TSMPI_ERR_RANK', 'rank 1 is outside a world of 1');

await finalize();
console.log(`singleton ok: rank ${comm.rank} of ${comm.size}`);
