// The collective suite of issue 3 between real processes (any number of
// ranks): every call of both families for every root, on the world, a
// duplicate and a split; reductions with every op (and a non-commutative
// one); several non-blocking collectives in flight with point-to-point
// traffic; TSMPI_ERR_ROOT and TSMPI_ERR_TRUNCATE; a Cartesian grid. Each
// phase prints "ok <phase> <rank>/<size> (<ms> ms)"; a failed check prints
// "FAILED <phase> ..." and exits 1 (the launcher then ends the job).
// Usage: collectives-suite.ts
import assert from 'node:assert/strict';
import {
  ANY_SOURCE, ANY_TAG, BAND, BOR, BXOR, type Communicator, IN_PLACE, LAND, LOR, LXOR, MAX, MAXLOC, MIN, MINLOC, NO_OP, Op,
  PROC_NULL, PROD, REPLACE, Request, SUM, UNDEFINED, computeDims, finalize, init, tuning,
} from 'tsmpi';

const world = await init();
let phase = 'init';

const scalars: unknown[] = [null, true, false, -7, 0, 7, 2n ** 63n - 1n, -(2n ** 63n - 1n), -2.17, 0.0, 1.62, 'abc', 'wörld ✓', 2 ** 31];
const MESSAGES: unknown[] = [...scalars, [...scalars], Object.fromEntries(scalars.map((v, i) => [`k${i}`, v])), [scalars, [scalars]], [], ''];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const mat = (x: number[], y: number[]) => [(x[0]! * y[0]! + x[1]! * y[2]!) % 1009, (x[0]! * y[1]! + x[1]! * y[3]!) % 1009, (x[2]! * y[0]! + x[3]! * y[2]!) % 1009, (x[2]! * y[1]! + x[3]! * y[3]!) % 1009];
const matOf = (r: number) => [r + 2, 1, r % 3, 1];
function fold<T>(n: number, of: (r: number) => T, f: (a: T, b: T) => T): T {
  let acc = of(0);
  for (let r = 1; r < n; r++) acc = f(acc, of(r));
  return acc;
}

/** [op, value of rank r, expected over ranks 0..n-1] */
const CASES: [unknown, (r: number) => unknown, (n: number) => unknown][] = [
  [SUM, (r) => r, (n) => (n * (n - 1)) / 2],
  [PROD, (r) => r + 1, (n) => fold(n, (r) => r + 1, (a, b) => a * b)],
  [MAX, (r) => r, (n) => n - 1],
  [MIN, (r) => r, () => 0],
  [LAND, (r) => r, (n) => (n === 1 ? 0 : false)],
  [LOR, (r) => r, (n) => (n === 1 ? 0 : true)],
  [LXOR, (r) => r % 2 === 1, (n) => fold(n, (r) => r % 2 === 1, (a, b) => a !== b)],
  [BAND, (r) => r | 4, (n) => fold(n, (r) => r | 4, (a, b) => a & b)],
  [BOR, (r) => r, (n) => fold(n, (r) => r, (a, b) => a | b)],
  [BXOR, (r) => r, (n) => fold(n, (r) => r, (a, b) => a ^ b)],
  [MAXLOC, (r) => [r, r], (n) => [n - 1, n - 1]],
  [MINLOC, (r) => [r, r], () => [0, 0]],
  [REPLACE, (r) => r, (n) => n - 1],
  [NO_OP, (r) => r, () => 0],
  [SUM, (r) => `${r}`, (n) => range(n).join('')],
  [(a: number[], b: number[]) => mat(a, b), matOf, (n) => fold(n, matOf, mat)],
];

async function values(c: Communicator): Promise<void> {
  const p = c.size, me = c.rank;
  // Every root; each message and op from at least one root (all of them from every root at p = 1).
  for (let root = 0; root < p; root++) {
    assert.deepEqual(await c.bcast(me === root ? MESSAGES : null, root), MESSAGES);
    for (const m of MESSAGES.filter((_, i) => i % p === root)) assert.deepEqual(await c.bcast(me === root ? m : null, root), m);
    assert.deepEqual(await c.gather(MESSAGES, root), me === root ? new Array(p).fill(MESSAGES) : null);
    assert.deepEqual(await c.scatter(me === root ? range(p).map((i) => [i, MESSAGES[i % MESSAGES.length]]) : null, root), [me, MESSAGES[me % MESSAGES.length]]);
    for (const [op, v, e] of CASES.filter((_, k) => k === 0 || k % p === root)) {
      assert.deepEqual(await c.reduce(v(me), op as never, root), me === root ? e(p) : null);
    }
  }
  assert.deepEqual(await c.allgather(MESSAGES), new Array(p).fill(MESSAGES));
  assert.deepEqual(await c.alltoall(range(p).map((i) => [me, i])), range(p).map((i) => [i, me]));
  for (const [op, v, e] of CASES) {
    assert.deepEqual(await c.allreduce(v(me), op as never), e(p));
    assert.deepEqual(await c.scan(v(me), op as never), e(me + 1));
    assert.deepEqual(await c.exscan(v(me), op as never), me === 0 ? null : e(me));
  }
  await c.barrier();
}

async function buffers(c: Communicator): Promise<void> {
  const p = c.size, me = c.rank, n = 3;
  const matOp = Op.create(mat, false, { unit: 4 });
  for (let root = 0; root < p; root++) {
    const isRoot = me === root;
    for (const b of [new Float64Array(n), new BigInt64Array(n), new Uint8Array(n)]) {
      if (isRoot) b.forEach((_, i) => { (b as unknown as (number | bigint)[])[i] = b instanceof BigInt64Array ? BigInt(i + root) : i + root; });
      await c.Bcast(b, root);
      assert.deepEqual(Array.from(b as ArrayLike<number | bigint>, Number), range(n).map((i) => i + root));
    }
    const rs = new Int32Array(n);
    await c.Scatter(isRoot ? Int32Array.from(range(p * n), (i) => Math.floor(i / n)) : null, rs, root);
    assert.deepEqual(Array.from(rs), new Array(n).fill(me));
    const rg = isRoot ? new Int32Array(p * n) : null;
    await c.Gather(new Int32Array(n).fill(me * 2), rg, root);
    if (rg) assert.deepEqual(Array.from(rg), range(p * n).map((i) => Math.floor(i / n) * 2));
    const rr = isRoot ? new Float64Array(n) : null;
    await c.Reduce(Float64Array.from(range(n), (j) => me + j), rr, SUM, root);
    if (rr) assert.deepEqual(Array.from(rr), range(n).map((j) => (p * (p - 1)) / 2 + p * j));
    const rm = isRoot ? new Int32Array(4) : null;
    await c.Reduce(Int32Array.from(matOf(me)), rm, matOp, root);
    if (rm) assert.deepEqual(Array.from(rm), fold(p, matOf, mat));
    const counts = range(p).map((i) => (i % 3) + 1);
    const total = counts.reduce((a, b) => a + b, 0);
    const displs = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
    const mine = new Float32Array(counts[me]!);
    await c.Scatterv(isRoot ? [Float32Array.from(range(total)), counts, displs] : null, mine, root);
    assert.deepEqual(Array.from(mine), range(counts[me]!).map((j) => displs[me]! + j));
    const back = isRoot ? new Float32Array(total) : null;
    await c.Gatherv(mine, isRoot ? [back!, counts, displs] : null, root);
    if (back) assert.deepEqual(Array.from(back), range(total));
  }
  const ag = new Int16Array(p * n);
  await c.Allgather(new Int16Array(n).fill(me), ag);
  assert.deepEqual(Array.from(ag), range(p * n).map((i) => Math.floor(i / n)));
  const at = new Int32Array(p);
  await c.Alltoall(Int32Array.from(range(p), (j) => me * 100 + j), at);
  assert.deepEqual(Array.from(at), range(p).map((i) => i * 100 + me));
  for (const len of [5, 20_000]) {
    // 20 000 doubles (160 KB) takes the reduce-scatter + allgather algorithm.
    const out = new Float64Array(len);
    await c.Allreduce(Float64Array.from({ length: len }, (_, j) => me + j), out, SUM);
    assert.ok(out.every((x, j) => x === (p * (p - 1)) / 2 + p * j), `Allreduce of ${len}`);
    // Values that differ by position: a chunk landing at the wrong offset shows.
    const big = new Float64Array(len);
    if (me === p - 1) big.set(Float64Array.from({ length: len }, (_, j) => j + 2.5));
    await c.Bcast(big, p - 1);
    assert.ok(big.every((x, j) => x === j + 2.5), `Bcast of ${len}`);
  }
  // Large Allreduce again and again: its messages land in reused scratch buffers and straight in
  // `out`, so a stale byte from an earlier call (or from the send buffer) would show here.
  for (let k = 0; k < 4; k++) {
    const len = 40_000 + k;
    const out = new Float64Array(len).fill(-7);
    await c.Allreduce(Float64Array.from({ length: len }, (_, j) => (me + 1) * (j + k)), out, SUM);
    assert.ok(out.every((x, j) => x === ((p * (p + 1)) / 2) * (j + k)), `repeated Allreduce ${k}`);
    const inplace = Float64Array.from({ length: len }, (_, j) => j - me - k);
    await c.Allreduce(IN_PLACE, inplace, MAX);
    assert.ok(inplace.every((x, j) => x === j - k), `repeated Allreduce in place ${k}`);
  }
  // Large Allreduce of inexact floats (reduced in a SIMD arena where WebAssembly has it, odd lengths
  // for the vector loop's tail): every rank gets bitwise the sum of reduce-scatter's order, a
  // pairwise tree over the ranks after the fold of a non-power-of-two group (ranks 2i and 2i+1
  // below 2·extra first).
  for (const [K, op, len, f] of [
    [Float64Array, SUM, 40_001, (a: number, b: number) => a + b],
    [Float32Array, SUM, 30_003, (a: number, b: number) => Math.fround(a + b)],
    [Float64Array, PROD, 20_001, (a: number, b: number) => a * b],
  ] as const) {
    const x = (r: number, j: number) => (op === PROD ? 1 + Math.sin(r * 7919 + j) / 64 : Math.sin(r * 7919 + j) * 10 ** ((j % 9) - 4));
    const out = new K(len);
    await c.Allreduce(K.from(Array.from({ length: len }, (_, j) => x(me, j))), out, op);
    const inputs = range(p).map((r) => K.from(Array.from({ length: len }, (_, j) => x(r, j))));
    let core = 1;
    while (core * 2 <= p) core *= 2;
    const extra = p - core;
    const want = new K(len);
    for (let j = 0; j < len; j++) {
      let level = range(p).map((r) => inputs[r]![j]!);
      level = [...range(extra).map((i) => f(level[2 * i]!, level[2 * i + 1]!)), ...level.slice(2 * extra)];
      while (level.length > 1) level = range(level.length / 2).map((i) => f(level[2 * i]!, level[2 * i + 1]!));
      want[j] = level[0]!;
    }
    assert.deepEqual(new Uint8Array(out.buffer), new Uint8Array(want.buffer), `large ${K.name} Allreduce ${op.name} is bitwise the reduce-scatter order`);
  }
  // Blocks of 80 KB (received into reused scratch buffers or straight into place), three times
  // with other data each time: a stale or misplaced block would show.
  for (let k = 0; k < 3; k++) {
    const n = 10_000 + k, root = k % p, val = (rank: number, j: number) => rank * 1e6 + j * 3 + k;
    const blocks = (f: (i: number, j: number) => number) => Float64Array.from({ length: p * n }, (_, x) => f(Math.floor(x / n), x % n));
    const g = me === root ? new Float64Array(p * n) : null;
    await c.Gather(Float64Array.from({ length: n }, (_, j) => val(me, j)), g, root);
    if (g) assert.deepEqual(g, blocks(val), `large Gather ${k}`);
    const sc = new Float64Array(n);
    await c.Scatter(me === root ? blocks((i, j) => val(i, j) + 1) : null, sc, root);
    assert.ok(sc.every((x, j) => x === val(me, j) + 1), `large Scatter ${k}`);
    const ag = new Float64Array(p * n);
    await c.Allgather(Float64Array.from({ length: n }, (_, j) => val(me, j)), ag);
    assert.deepEqual(ag, blocks(val), `large Allgather ${k}`);
    const a2a = new Float64Array(p * n);
    await c.Alltoall(blocks((i, j) => val(me, j) + i), a2a);
    assert.deepEqual(a2a, blocks((i, j) => val(i, j) + me), `large Alltoall ${k}`);
    const red = me === root ? new Float64Array(n) : null;
    await c.Reduce(Float64Array.from({ length: n }, (_, j) => val(me, j)), red, SUM, root);
    if (red) assert.ok(red.every((x, j) => x === ((p * (p - 1)) / 2) * 1e6 + p * (j * 3 + k)), `large Reduce ${k}`);
    const bc = new Float64Array(n);
    if (me === root) bc.set(Float64Array.from({ length: n }, (_, j) => val(root, j) + 0.5));
    await c.Bcast(bc, root);
    assert.ok(bc.every((x, j) => x === val(root, j) + 0.5), `large Bcast ${k}`);
  }
  const io = Float64Array.of(me, 10 - me);
  await c.Allreduce(IN_PLACE, io, MAX);
  assert.deepEqual(Array.from(io), [p - 1, 10]);
  const sc = new Int32Array(2), ex = new Int32Array(2).fill(-1);
  await c.Scan(Int32Array.of(me, 1), sc, SUM);
  await c.Exscan(Int32Array.of(me, 1), ex, SUM);
  assert.deepEqual(Array.from(sc), [(me * (me + 1)) / 2, me + 1]);
  assert.deepEqual(Array.from(ex), me === 0 ? [-1, -1] : [(me * (me - 1)) / 2, me]);
  const rsb = new Float64Array(2);
  await c.Reduce_scatter_block(Float64Array.from(range(2 * p), (j) => j * (me + 1)), rsb, SUM);
  assert.deepEqual(Array.from(rsb), [2 * me, 2 * me + 1].map((j) => (j * p * (p + 1)) / 2));
  const agv = new Uint16Array((p * (p + 1)) / 2);
  await c.Allgatherv(new Uint16Array(me + 1).fill(me), [agv, range(p).map((i) => i + 1)]);
  assert.deepEqual(Array.from(agv), range(p).flatMap((i) => new Array(i + 1).fill(i)));
  const ml = new Float64Array(2);
  await c.Allreduce(Float64Array.of(me % 2, me), ml, MAXLOC);
  assert.deepEqual(Array.from(ml), [p > 1 ? 1 : 0, p > 1 ? 1 : 0]);
}

async function nonblocking(c: Communicator): Promise<void> {
  const p = c.size, me = c.rank;
  const d = await c.dup();
  const wild = d.irecv(ANY_SOURCE, ANY_TAG);
  const reqs: Request<unknown>[] = [
    c.ibcast(me === 0 ? 'hello' : null, 0), d.iallreduce(me), c.isend(me, (me + 1) % p, 5), c.iallgather(me),
    d.ibarrier(), c.ireduce(me, MAX, p - 1), c.irecv((me + p - 1) % p, 5), d.igather(me, 0), c.iscatter(me === 0 ? range(p) : null, 0),
    d.ialltoall(range(p).map((i) => me * p + i)),
  ];
  const got: unknown[] = [];
  for (let i = reqs.length - 1; i >= 0; i--) got[i] = await reqs[i]!.wait();
  assert.deepEqual(got, [
    'hello', (p * (p - 1)) / 2, undefined, range(p), undefined, me === p - 1 ? p - 1 : null, (me + p - 1) % p,
    me === 0 ? range(p) : null, me, range(p).map((i) => i * p + me),
  ]);
  assert.equal(wild.test()[0], false, 'a collective message matched a user receive');
  await d.send('mine', me, 1);
  assert.equal(await wild.wait(), 'mine');
}

async function errors(c: Communicator): Promise<void> {
  const p = c.size;
  for (const root of [-p, p]) {
    await assert.rejects(c.bcast(1, root), { code: 'TSMPI_ERR_ROOT' });
    await assert.rejects(c.Reduce(new Float64Array(1), new Float64Array(1), SUM, root), { code: 'TSMPI_ERR_ROOT' });
    await assert.rejects(c.igather(1, root).wait(), { code: 'TSMPI_ERR_ROOT' });
  }
  await assert.rejects(c.Scatter(c.rank === 0 ? new Int32Array(p + 1) : null, new Int32Array(1), 0), { code: 'TSMPI_ERR_TRUNCATE' });
  const len = c.rank === 0 ? 3 : 2;
  const mismatched = c.Allreduce(new Int32Array(len), new Int32Array(len), SUM);
  if (p > 1) await assert.rejects(mismatched, { code: 'TSMPI_ERR_TRUNCATE' });
  else await mismatched;
  // Large buffers that differ: rank 0's is below the large-message threshold (another algorithm),
  // the others' above it; every rank rejects, and the receives posted ahead are withdrawn.
  for (const lens of [[100, 20_000], [20_001, 20_000]]) {
    const n = c.rank === 0 ? lens[0]! : lens[1]!;
    const big = c.Allreduce(new Float64Array(n), new Float64Array(n), SUM);
    if (p > 1) await assert.rejects(big, { code: 'TSMPI_ERR_TRUNCATE' });
    else await big;
  }
  assert.equal(await c.allreduce(1), p, 'the communicator works after errors');
}

async function cart(c: Communicator): Promise<void> {
  const dims = computeDims(c.size, 2);
  const g = (await c.createCart(dims, [true, false]))!;
  assert.deepEqual(g.dims, dims);
  for (const dir of [0, 1]) {
    const [src, dst] = g.shift(dir, 1);
    const got = await g.sendrecv(g.coords, dst, 0, src, 0);
    assert.deepEqual(got, src === PROC_NULL ? null : g.getCoords(src));
  }
  const row = await g.sub([false, true]);
  assert.equal(await row.allreduce(1), dims[1]);
}

async function run(name: string, body: () => Promise<void>): Promise<void> {
  phase = name;
  const t0 = performance.now();
  await body();
  console.log(`ok ${name} ${world.rank}/${world.size} (${Math.round(performance.now() - t0)} ms)`);
}

try {
  const dup = await world.dup();
  const half = (await world.split(world.rank % 2, -world.rank))!;
  assert.equal(await world.split(UNDEFINED), null);
  await run('values', () => values(world));
  await run('values-dup', () => values(dup));
  await run('values-split', () => values(half));
  await run('buffers', () => buffers(world));
  await run('buffers-dup', () => buffers(dup));
  const threshold = tuning.largeMessageBytes;
  tuning.largeMessageBytes = 0;
  await run('buffers-split-large', () => buffers(half));
  tuning.largeMessageBytes = threshold;
  await run('nonblocking', () => nonblocking(world));
  await run('errors', () => errors(world));
  await run('cart', () => cart(world));
  await finalize();
} catch (err) {
  console.error(`FAILED ${phase} on rank ${world.rank}: ${err instanceof Error ? err.stack : String(err)}`);
  world.abort(1);
}
