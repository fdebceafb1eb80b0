// The point-to-point rules of issue 2, checked between real processes (run with
// -n 3 or more): non-overtaking order, wildcards matching the earliest message,
// Status, probe/iprobe, isend/irecv with test()/wait(), Request.waitall/waitany/
// testall, sendrecv round a ring, self-sends, PROC_NULL, the buffer family with
// every typed-array kind, truncation (and the next message still delivered), and
// the TSMPI_ERR_RANK / TSMPI_ERR_TAG errors. Each phase prints one "ok" line per
// rank; any failed check prints "FAILED <phase>" and exits 1.
// Usage: p2p-semantics.ts <marker>
import assert from 'node:assert/strict';
import {
  ANY_SOURCE, ANY_TAG, encodeMessage, finalize, init, PROC_NULL, Request, Status, TsmpiError, type TypedArray, UNDEFINED,
} from '@tsmpi/runtime';
import { assertIdentical } from './p2p-values.js';

const comm = await init();
const { rank, size } = comm;
assert.ok(size >= 3, 'run with at least 3 ranks');
const next = (rank + 1) % size;
const prev = (rank + size - 1) % size;
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Poll `cond` (a synchronous test) until it holds, without ever calling wait(). */
async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await tick();
  }
}

async function expectCode(what: string, op: Promise<unknown> | (() => unknown), code: string, message?: RegExp): Promise<TsmpiError> {
  let err: unknown;
  try {
    if (typeof op === 'function') op(); else await op;
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `${what}: expected ${code}, but it succeeded`);
  assert.ok(err instanceof TsmpiError && TsmpiError.is(err), `${what}: expected a TsmpiError, got ${String(err)}`);
  assert.equal(err.code, code, `${what}: ${err.message}`);
  if (message) assert.match(err.message, message, what);
  return err;
}

let phaseNo = 0;
/**
 * Run one phase on every rank; rank 0 ends it by releasing the others once its
 * own part is done (so no phase's messages reach the next). Ranks other than 0
 * therefore never receive from ANY_SOURCE with ANY_TAG: that could take the release.
 */
async function phase(name: string, body: () => Promise<void>): Promise<void> {
  const k = ++phaseNo;
  try {
    await body();
    const endTag = 5000 + k;
    if (rank === 0) for (let r = 1; r < size; r++) await comm.send(`end ${k}`, r, endTag);
    else assert.equal(await comm.recv(0, endTag), `end ${k}`);
  } catch (err) {
    console.error(`rank ${rank}: FAILED ${name}: ${(err as Error).stack ?? err}`);
    process.exit(1);
  }
  console.log(`rank ${rank}: ok ${name}`);
}

await phase('non-overtaking', async () => {
  const N = 1000;
  if (rank === 1 || rank === 2) {
    const pending: Request[] = [];
    for (let seq = 0; seq < N; seq++) {
      const tag = seq % 10 === 9 ? 11 : 10;
      const value = seq % 100 === 0
        ? { src: rank, seq, pad: new Float64Array(32 * 1024).fill(seq) } // 256 KiB among the small ones
        : { src: rank, seq };
      if (seq % 3 === 0) await comm.send(value, 0, tag);
      else pending.push(comm.isend(value, 0, tag));
    }
    await Request.waitall(pending);
  } else if (rank === 0) {
    const expected: Record<number, number> = { 1: 0, 2: 0 };
    const tag11: Record<number, number[]> = { 1: [], 2: [] };
    for (const t of [10, 11]) {
      for (let seq = 0; seq < N; seq++) if ((seq % 10 === 9 ? 11 : 10) === t) tag11[1]!.push(seq);
      tag11[2] = [...tag11[1]!];
      const count = tag11[1]!.length * 2;
      for (let k = 0; k < count; k++) {
        const st = new Status();
        const v = await comm.recv(ANY_SOURCE, t, st) as { src: number; seq: number; pad?: Float64Array };
        assert.equal(v.src, st.source);
        assert.equal(st.tag, t);
        const want = tag11[st.source]!.shift();
        assert.equal(v.seq, want, `message from rank ${st.source} with tag ${t} overtaken: got seq ${v.seq}, expected ${want}`);
        if (v.pad) assert.ok(v.pad.length === 32 * 1024 && v.pad.every((x) => x === v.seq));
        expected[st.source]!++;
      }
      tag11[1] = []; tag11[2] = [];
    }
    assert.deepEqual(expected, { 1: N, 2: N });
  }
});

await phase('wildcards match the earliest message', async () => {
  if (rank === 0) {
    await comm.probe(1, 21); // 'first' from rank 1 has arrived
    await comm.send('go', 2, 20);
    await comm.probe(2, 22); // 'second' from rank 2 has arrived after it
    const st = new Status();
    assert.equal(await comm.recv(ANY_SOURCE, ANY_TAG, st), 'first');
    assert.deepEqual([st.source, st.tag], [1, 21]);
    assert.equal(await comm.recv(ANY_SOURCE, ANY_TAG, st), 'second');
    assert.deepEqual([st.source, st.tag], [2, 22]);
    // The other way round: the higher rank's message is the earlier one.
    await comm.send('go', 2, 25);
    await comm.probe(2, 23);
    await comm.send('go', 1, 24);
    await comm.probe(1, 23);
    assert.equal(await comm.recv(ANY_SOURCE, 23, st), 'third');
    assert.equal(st.source, 2);
    assert.equal(await comm.recv(ANY_SOURCE, 23, st), 'fourth');
    assert.equal(st.source, 1);
    // ANY_TAG from one source takes its earliest; a specific tag skips over others.
    await comm.probe(1, 9); // the last of a, b, c, end: all have arrived
    assert.equal(await comm.recv(1, 3, st), 'b');
    assert.equal(await comm.recv(1, ANY_TAG, st), 'a');
    assert.equal(st.tag, 7);
    assert.equal(await comm.recv(ANY_SOURCE, ANY_TAG, st), 'c');
    assert.deepEqual([st.source, st.tag], [1, 7]);
    assert.equal(await comm.recv(1, ANY_TAG, st), 'end');
    assert.equal(st.tag, 9);
  } else if (rank === 1) {
    await comm.send('first', 0, 21);
    await comm.recv(0, 24);
    await comm.send('fourth', 0, 23);
    await comm.send('a', 0, 7);
    await comm.send('b', 0, 3);
    await comm.send('c', 0, 7);
    await comm.send('end', 0, 9);
  } else if (rank === 2) {
    await comm.recv(0, 20);
    await comm.send('second', 0, 22);
    await comm.recv(0, 25);
    await comm.send('third', 0, 23);
  }
});

await phase('Status: source, tag and count in bytes', async () => {
  if (rank === 1) {
    await comm.send({ a: 1, s: 'x' }, 0, 30);
    await comm.Send(new Float64Array(10), 0, 31);
    await comm.send(new Uint8Array(0), 0, 32);
    await comm.send('', 0, 33);
  } else if (rank === 0) {
    const st = new Status();
    assert.deepEqual(await comm.recv(1, 30, st), { a: 1, s: 'x' });
    assert.deepEqual([st.source, st.tag, st.count], [1, 30, encodeMessage({ a: 1, s: 'x' }).byteLength]);
    const into = new Float64Array(10);
    const st2 = await comm.Recv(into, 1, 31);
    assert.deepEqual([st2.source, st2.tag, st2.count, st2.getCount(Float64Array)], [1, 31, 80, 10]);
    const empty = await comm.recv(ANY_SOURCE, 32, st);
    assert.ok(empty instanceof Uint8Array && !Buffer.isBuffer(empty) && empty.length === 0);
    assert.deepEqual([st.source, st.tag, st.count], [1, 32, 0]);
    assert.equal(await comm.recv(1, ANY_TAG, st), '');
    assert.deepEqual([st.tag, st.count], [33, encodeMessage('').byteLength]);
  }
});

await phase('probe and iprobe', async () => {
  if (rank === 0) {
    assert.equal(comm.iprobe(1, 40), false);
    const probed = comm.probe(1, 40);
    await comm.send('go', 1, 41);
    const st = await probed;
    assert.deepEqual([st.source, st.tag, st.count], [1, 40, 20]);
    const st2 = new Status();
    assert.equal(comm.iprobe(1, 40, st2), true);
    assert.deepEqual([st2.source, st2.tag, st2.count], [1, 40, 20]);
    assert.equal(comm.iprobe(1, 42), false);
    assert.equal(comm.iprobe(2, ANY_TAG), false);
    const st3 = new Status();
    assert.equal(await comm.probe(ANY_SOURCE, ANY_TAG, st3), st3, 'probe resolves with the Status it was given');
    assert.equal(st3.source, 1);
    const v = await comm.recv(1, 40);
    assert.ok(v instanceof Float32Array && v.length === 5);
    assert.equal(comm.iprobe(1, 40), false, 'probe does not consume, recv does');
  } else if (rank === 1) {
    await comm.recv(0, 41);
    await comm.Send(new Float32Array([1, 2, 3, 4, 5]), 0, 40);
  }
});

await phase('isend/irecv with test() and wait()', async () => {
  if (rank === 0) {
    const q = comm.irecv(1, 50);
    assert.deepEqual(q.test(), [false, undefined]);
    const q2 = comm.irecv(ANY_SOURCE, 52);
    await comm.send('go', 1, 51);
    await comm.send('go', 2, 51);
    await until('irecv from rank 1 completes', () => q.test()[0]);
    const [done, v] = q.test() as [boolean, { f: Float64Array }];
    assert.equal(done, true);
    assert.ok(v.f instanceof Float64Array && v.f.length === 100_000 && v.f[99_999] === 99_999);
    assert.equal(await q.wait(), v);
    const st = new Status();
    assert.equal(await q2.wait(st), 'from 2');
    assert.deepEqual([st.source, st.tag], [2, 52]);
  } else if (rank === 1) {
    await comm.recv(0, 51);
    const f = new Float64Array(100_000);
    f.forEach((_, i) => { f[i] = i; });
    const r = comm.isend({ f }, 0, 50);
    assert.equal(await r.wait(), undefined);
    assert.deepEqual(r.test(), [true, undefined]);
  } else if (rank === 2) {
    await comm.recv(0, 51);
    await comm.isend('from 2', 0, 52).wait();
  }
});

await phase('Request.waitany / waitall / testall', async () => {
  if (rank === 0) {
    // Three irecvs on tags 1, 2, 3, completed in reverse order.
    const reqs = [comm.irecv(1, 1), comm.irecv(1, 2), comm.irecv(1, 3)];
    for (const tag of [3, 2, 1]) {
      await comm.send(tag, 1, 60);
      const st = new Status();
      const [index, value] = await Request.waitany(reqs, st);
      assert.deepEqual([index, value, st.tag, st.source], [tag - 1, `m${tag}`, tag, 1]);
    }
    assert.deepEqual(await Request.waitany(reqs), [UNDEFINED, undefined], 'waitany over finished requests');
    // testall is false until every request completed.
    const both = [comm.irecv(1, 61), comm.irecv(2, 61)];
    assert.deepEqual(Request.testall(both), [false, undefined]);
    await comm.send('go', 1, 62);
    await until('rank 1 answered', () => both[0]!.done);
    assert.deepEqual(Request.testall(both), [false, undefined]);
    await comm.send('go', 2, 62);
    await until('testall is true', () => Request.testall(both)[0]);
    // (testall reported them: a second testall would find them inactive, so check the values once)
    // waitall with a send among the receives: its entry is undefined.
    const values = await Request.waitall<unknown>([comm.isend('ping', 1, 63), comm.irecv(1, 64)]);
    assert.deepEqual(values, [undefined, 'pong:ping']);
  } else if (rank === 1) {
    for (let k = 0; k < 3; k++) {
      const tag = await comm.recv(0, 60) as number;
      await comm.send(`m${tag}`, 0, tag);
    }
    await comm.recv(0, 62);
    await comm.send('from 1', 0, 61);
    await comm.send(`pong:${await comm.recv(0, 63)}`, 0, 64);
  } else if (rank === 2) {
    await comm.recv(0, 62);
    await comm.send('from 2', 0, 61);
  }
});

await phase('sendrecv round the ring', async () => {
  const st = new Status();
  assert.deepEqual(await comm.sendrecv({ from: rank }, next, 70, prev, 70, st), { from: prev });
  assert.deepEqual([st.source, st.tag], [prev, 70]);
  // 8 MiB each way at once: neither direction blocks the other.
  const big = await comm.sendrecv(new Float64Array(1 << 20).fill(rank), next, 71, prev, 71) as Float64Array;
  assert.ok(big instanceof Float64Array && big.length === 1 << 20 && big.every((x) => x === prev));
  const into = new Int32Array(3);
  await comm.Sendrecv(new Int32Array([rank, rank, rank]), next, 72, into, prev, 72);
  assert.deepEqual([...into], [prev, prev, prev]);
  assert.equal(await comm.sendrecv('me', rank, 73, rank, 73), 'me');
  assert.equal(await comm.sendrecv('any', next, 74, prev), 'any', 'sendrecv default receive tag: ANY_TAG');
});

await phase('self-sends, blocking and non-blocking', async () => {
  await comm.send({ self: rank }, rank, 80);
  assert.deepEqual(await comm.recv(rank, 80), { self: rank });
  const q = comm.irecv(rank, 81);
  assert.deepEqual(q.test(), [false, undefined]);
  await comm.isend([rank, -0], rank, 81).wait();
  assertIdentical(await q.wait(), [rank, -0], 'self isend/irecv');
  const r = comm.isend('later', rank, 82);
  await r.wait();
  assert.equal(await comm.irecv(rank, 82).wait(), 'later');
  for (let i = 0; i < 200; i++) void comm.isend(i, rank, 83 + (i % 2));
  for (let i = 0; i < 200; i++) assert.equal(await comm.recv(rank, ANY_TAG), i);
  const big = new Float64Array(1 << 20).fill(-0);
  await comm.send(big, rank, 85);
  assert.equal(comm.iprobe(rank, 85), true);
  assertIdentical(await comm.recv(ANY_SOURCE, 85), big, 'self-send of 8 MiB');
  const into = new Uint16Array(4);
  await comm.Send(new Uint16Array([1, 2, 3, 65535]), rank, 86);
  const st = await comm.Recv(into, rank, 86);
  assert.deepEqual([...into], [1, 2, 3, 65535]);
  assert.deepEqual([st.source, st.count], [rank, 8]);
});

await phase('PROC_NULL', async () => {
  await comm.send('nowhere', PROC_NULL, 1);
  await comm.isend('nowhere', PROC_NULL).wait();
  const st = new Status();
  assert.equal(await comm.recv(PROC_NULL, ANY_TAG, st), null);
  assert.deepEqual([st.source, st.tag, st.count], [PROC_NULL, ANY_TAG, 0]);
  const q = comm.irecv(PROC_NULL);
  assert.deepEqual(q.test(), [true, null]);
  const buf = new Float64Array([1, 2]);
  await comm.Send(buf, PROC_NULL);
  await comm.Recv(buf, PROC_NULL);
  assert.deepEqual([...buf], [1, 2]);
  assert.equal(await comm.sendrecv('x', PROC_NULL, 0, PROC_NULL, 0), null);
  assert.equal((await comm.probe(PROC_NULL)).source, PROC_NULL);
  assert.equal(comm.iprobe(PROC_NULL), true);
  // A ring with PROC_NULL at the ends (a non-periodic shift) works too.
  const right = rank === size - 1 ? PROC_NULL : rank + 1;
  const left = rank === 0 ? PROC_NULL : rank - 1;
  assert.equal(await comm.sendrecv(rank, right, 90, left, 90), rank === 0 ? null : rank - 1);
});

const KINDS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;
type Kind = (typeof KINDS)[number];
/** `n` elements of kind `Ctor` with a byte pattern that depends on `seed`. */
function pattern(Ctor: Kind, n: number, seed: number): TypedArray {
  const bytes = new Uint8Array(n * Ctor.BYTES_PER_ELEMENT);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + seed * 7) & 0xff;
  return new Ctor(bytes.buffer);
}

await phase('buffer mode: Send/Recv of every typed-array kind, Buffer and ArrayBuffer', async () => {
  const n = 1001;
  if (rank === 1) {
    for (const [k, Ctor] of KINDS.entries()) await comm.Send(pattern(Ctor, n, k), 0, 100 + k);
    await comm.Send(Buffer.from(pattern(Uint8Array, n, 50).buffer), 0, 150);
    await comm.Send(pattern(Uint8Array, n, 51).buffer as ArrayBuffer, 0, 151);
    await comm.Send(pattern(Float64Array, 1 << 21, 52), 0, 152); // 16 MiB
    await comm.Send(pattern(Float64Array, 4, 53), 0, 153);
    // The echo: rank 0 sends each kind back, rank 1 checks it.
    for (const [k, Ctor] of KINDS.entries()) {
      const into = new Ctor(n);
      await comm.Recv(into, 0, 200 + k);
      assertIdentical(into, pattern(Ctor, n, k), `${Ctor.name} echoed back`);
    }
  } else if (rank === 0) {
    for (const [k, Ctor] of KINDS.entries()) {
      const into = new Ctor(n);
      const st = await comm.Recv(into, 1, 100 + k);
      assertIdentical(into, pattern(Ctor, n, k), `${Ctor.name} received in place`);
      assert.deepEqual([st.source, st.tag, st.count, st.getCount(Ctor)], [1, 100 + k, n * Ctor.BYTES_PER_ELEMENT, n]);
      await comm.Send(into, 1, 200 + k);
    }
    const b = Buffer.alloc(n);
    await comm.Recv(b, 1, 150);
    assert.ok(b.equals(pattern(Uint8Array, n, 50) as Uint8Array));
    const ab = new ArrayBuffer(n + 7); // larger than the message: the rest stays as it was
    const st = await comm.Recv(ab, 1, 151);
    assert.equal(st.count, n);
    assertIdentical(new Uint8Array(ab, 0, n), pattern(Uint8Array, n, 51), 'ArrayBuffer received in place');
    assert.deepEqual([...new Uint8Array(ab, n)], [0, 0, 0, 0, 0, 0, 0]);
    const large = new Float64Array(1 << 21);
    await comm.Recv(large, 1, 152);
    assertIdentical(large, pattern(Float64Array, 1 << 21, 52), '16 MiB Float64Array');
    const asBytes = new Uint8Array(32); // any kind receives the raw bytes
    await comm.Recv(asBytes, 1, 153);
    assertIdentical(new Float64Array(asBytes.buffer), pattern(Float64Array, 4, 53), 'Float64Array bytes into a Uint8Array');
  }
});

await phase('Recv into a too-small buffer: TSMPI_ERR_TRUNCATE, then the next message', async () => {
  if (rank === 1) {
    await comm.Send(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0, 300);
    await comm.Send(new Float64Array([7, 8, 9]), 0, 300);
    await comm.Send(new Int32Array(1000), 0, 301);
    await comm.Send(new Int32Array([1, 2]), 0, 301);
  } else if (rank === 0) {
    const small = new Float64Array(5);
    const st = new Status();
    const err = await expectCode('Recv of 80 bytes into 40', comm.Recv(small, 1, 300, st), 'TSMPI_ERR_TRUNCATE', /80 bytes.*40 bytes/);
    assert.match(err.message, /larger buffer|probe/);
    assert.deepEqual([st.source, st.tag, st.count, st.error], [1, 300, 80, 'TSMPI_ERR_TRUNCATE']);
    const st2 = await comm.Recv(small, 1, 300);
    assert.deepEqual([...small], [7, 8, 9, 0, 0]);
    assert.equal(st2.count, 24);
    const q = comm.Irecv(new Int32Array(10), 1, 301);
    await expectCode('Irecv of 4000 bytes into 40', q.wait(), 'TSMPI_ERR_TRUNCATE');
    const ok = new Int32Array(10);
    await comm.Recv(ok, 1, 301);
    assert.deepEqual([...ok.subarray(0, 3)], [1, 2, 0]);
    assert.equal(comm.iprobe(1, ANY_TAG), false, 'the truncated messages were consumed');
  }
});

await phase('large Recv posted first: received in place, in order, exact bytes, truncation', async () => {
  // Large binary messages go straight into the buffer of a Recv already waiting (matched when
  // their header arrives): the results must be the same as by the ordinary path.
  const ramp = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => i * k);
  if (rank === 1) {
    await comm.recv(0, 319);
    await comm.Send(ramp(100_000, 1), 0, 310);
    await comm.send({ between: true }, 0, 311);
    await comm.Send(ramp(50_000, 2), 0, 310);
    await comm.Send(new Int32Array(40_000), 0, 312);
    await comm.Send(Int32Array.from([5, 6, 7]), 0, 312);
    await comm.send(ramp(20_000, 3), 0, 313);
  } else if (rank === 0) {
    const a = new Float64Array(100_000), b = new Float64Array(60_000).fill(-1), c = new Float64Array(20_000);
    const small = new Int32Array(1000);
    const sa = new Status(), sb = new Status(), sc = new Status();
    const r1 = comm.Irecv(a, 1, 310);
    const r2 = comm.Irecv(b, ANY_SOURCE, 310);
    const r3 = comm.irecv(1, 311);
    const r4 = comm.Irecv(small, 1, 312);
    const r5 = comm.Irecv(c, 1, 313);
    await comm.send('go', 1, 319);
    await r1.wait(sa);
    await r2.wait(sb);
    assert.deepEqual(await r3.wait(), { between: true });
    await expectCode('Irecv of 160000 bytes into 4000', r4.wait(), 'TSMPI_ERR_TRUNCATE');
    await r5.wait(sc);
    assert.deepEqual(a, ramp(100_000, 1));
    assert.deepEqual(b.subarray(0, 50_000), ramp(50_000, 2));
    assert.ok(b.subarray(50_000).every((x) => x === -1), 'bytes past the message are untouched');
    assert.deepEqual(c, ramp(20_000, 3));
    assert.deepEqual([sa.count, sb.count, sb.source, sc.count], [800_000, 400_000, 1, 160_000]);
    await comm.Recv(small, 1, 312);
    assert.deepEqual([...small.subarray(0, 4)], [5, 6, 7, 0]);
  }
});

await phase('bad rank → TSMPI_ERR_RANK, bad tag → TSMPI_ERR_TAG', async () => {
  for (const dest of [size, size + 5, -3, 1.5, ANY_SOURCE]) {
    await expectCode(`send to ${dest}`, comm.send('x', dest), 'TSMPI_ERR_RANK', new RegExp(`0\\.\\.${size - 1}`));
    await expectCode(`Send to ${dest}`, comm.Send(new Uint8Array(1), dest), 'TSMPI_ERR_RANK');
    await expectCode(`isend to ${dest}`, () => comm.isend('x', dest), 'TSMPI_ERR_RANK');
  }
  for (const source of [size, -3, 2.5]) {
    await expectCode(`recv from ${source}`, comm.recv(source, 0), 'TSMPI_ERR_RANK');
    await expectCode(`Recv from ${source}`, comm.Recv(new Uint8Array(1), source), 'TSMPI_ERR_RANK');
    await expectCode(`probe ${source}`, comm.probe(source), 'TSMPI_ERR_RANK');
    await expectCode(`iprobe ${source}`, () => comm.iprobe(source), 'TSMPI_ERR_RANK');
  }
  for (const tag of [-1, -7, 1.5, 2 ** 31, NaN]) {
    await expectCode(`send with tag ${tag}`, comm.send('x', next, tag), 'TSMPI_ERR_TAG', /tags are integers/);
    await expectCode(`isend with tag ${tag}`, () => comm.isend('x', next, tag), 'TSMPI_ERR_TAG');
  }
  for (const tag of [-7, 0.5, 2 ** 31]) {
    await expectCode(`recv with tag ${tag}`, comm.recv(prev, tag), 'TSMPI_ERR_TAG');
    await expectCode(`irecv with tag ${tag}`, () => comm.irecv(prev, tag), 'TSMPI_ERR_TAG');
  }
});

// Nothing left over: every message was received, and the failed calls sent nothing.
await new Promise((r) => setTimeout(r, 200));
const stray = new Status();
if (comm.iprobe(ANY_SOURCE, ANY_TAG, stray)) {
  console.error(`rank ${rank}: FAILED nothing left over: a message from rank ${stray.source} with tag ${stray.tag} was never received`);
  process.exit(1);
}

await finalize();
console.log(`rank ${rank}: p2p semantics ok (${phaseNo} phases)`);
