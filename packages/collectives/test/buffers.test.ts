/**
 * The Uppercase (buffer) family: every call, every root, sizes 1-9, 16 and 17,
 * on the world, a duplicate and a split; once with the default algorithms and
 * once with the large-message algorithms forced at every size.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Communicator, IN_PLACE, MAX, MAXLOC, MIN, MINLOC, NO_OP, Op, PROD, REPLACE, SUM, tuning } from '@tsmpi/collectives';
import type { TypedArray } from '@tsmpi/runtime';
import { foldRanks, matmul, matrixOf } from './helpers/messages.ts';
import { ALL_KINDS, type Kind, make, nums } from './helpers/typed.ts';
import { KINDS, SIZES, commOf, runWorld } from './helpers/world.ts';

const DEFAULT_LARGE = tuning.largeMessageBytes;
const DEFAULT_SCATTER_MIN = tuning.bcastScatterMinRanks;
afterEach(() => { tuning.largeMessageBytes = DEFAULT_LARGE; tuning.bcastScatterMinRanks = DEFAULT_SCATTER_MIN; });

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const matOp = Op.create(matmul, false, { unit: 4 });

/** Element-wise reductions: each rank's element j, and the expected fold over ranks. */
const ELEMENTWISE: { name: string; op: Parameters<Communicator['Allreduce']>[2]; K: Kind; el(r: number, j: number): number; f(a: number, b: number): number }[] = [
  { name: 'SUM', op: SUM, K: Float64Array, el: (r, j) => r * 10 + j, f: (a, b) => a + b },
  { name: 'SUM int32', op: SUM, K: Int32Array, el: (r, j) => r - j, f: (a, b) => a + b },
  { name: 'SUM bigint', op: SUM, K: BigInt64Array, el: (r, j) => r * 1000 + j, f: (a, b) => a + b },
  { name: 'PROD', op: PROD, K: Float64Array, el: (r, j) => ((r + j) % 3 === 0 ? 2 : 1), f: (a, b) => a * b },
  { name: 'MAX', op: MAX, K: Int16Array, el: (r, j) => (r * 7 + j) % 11, f: Math.max },
  { name: 'MIN', op: MIN, K: Float32Array, el: (r, j) => (r * 5 + j) % 13, f: Math.min },
  { name: 'REPLACE', op: REPLACE, K: Uint32Array, el: (r, j) => r + j, f: (_a, b) => b },
  { name: 'NO_OP', op: NO_OP, K: Uint8Array, el: (r, j) => r + j, f: (a) => a },
  { name: 'plain function op', op: (a: number, b: number) => a - 0 + b, K: Float64Array, el: (r, j) => r * j, f: (a, b) => a + b },
  { name: 'non-commutative function op', op: Op.create((_a: number, b: number) => b, false), K: Int32Array, el: (r, j) => r + j, f: (_a, b) => b },
  { name: 'commutative function op', op: Op.create((a: number, b: number) => a + b + 1, true), K: Float64Array, el: (r, j) => r + j, f: (a, b) => a + b + 1 },
];

function expectFold(got: TypedArray, n: number, lo: number, hi: number, c: (typeof ELEMENTWISE)[number], what: string) {
  expect(nums(got), what).toEqual(range(n).map((j) => foldRanks(lo, hi, (r) => c.el(r, j), c.f)));
}

/** Calls with a root, for one root. */
async function rootedCalls(c: Communicator, root: number, n: number): Promise<void> {
  const p = c.size, me = c.rank, isRoot = me === root;
  // Three kinds per root, rotating, so every kind is broadcast from several roots at every size.
  for (const K of [0, 4, 8].map((k) => ALL_KINDS[(root + k) % ALL_KINDS.length]!)) {
    const buf = make(K, n, (i) => (isRoot ? (i * 3 + root) % 100 : 0));
    await c.Bcast(buf, root);
    expect(nums(buf), `Bcast ${K.name}`).toEqual(range(n).map((i) => (i * 3 + root) % 100));
  }
  // Scatter: block i of the root's buffer is all i.
  const sendS = isRoot ? make(Int32Array, p * n, (i) => Math.floor(i / n) * 100 + (i % n)) : null;
  const recvS = make(Int32Array, n, () => -1);
  await c.Scatter(sendS, recvS, root);
  expect(nums(recvS)).toEqual(range(n).map((j) => me * 100 + j));
  // Gather: rank r sends r + j.
  const recvG = isRoot ? make(Float64Array, p * n, () => -1) : null;
  await c.Gather(make(Float64Array, n, (j) => me + j / 8), recvG, root);
  if (recvG) expect(nums(recvG)).toEqual(range(p * n).map((i) => Math.floor(i / n) + (i % n) / 8));
  // In place at the root.
  if (isRoot) {
    const s = make(Int32Array, p * n, (i) => Math.floor(i / n));
    await c.Scatter(s, IN_PLACE, root);
    expect(nums(s)).toEqual(range(p * n).map((i) => Math.floor(i / n)));
    const g = make(Int32Array, p * n, (i) => (Math.floor(i / n) === root ? 42 : -1));
    await c.Gather(IN_PLACE, g, root);
    expect(nums(g)).toEqual(range(p * n).map((i) => (Math.floor(i / n) === root ? 42 : Math.floor(i / n) * 2)));
  } else {
    const r = new Int32Array(n);
    await c.Scatter(null, r, root);
    expect(nums(r)).toEqual(new Array(n).fill(me));
    await c.Gather(make(Int32Array, n, () => me * 2), null, root);
  }
  // Reduce with every element-wise op, plus pairs and a non-commutative item op.
  for (const k of ELEMENTWISE) {
    const out = isRoot ? new k.K(n) : null;
    await c.Reduce(make(k.K, n, (j) => k.el(me, j)), out, k.op, root);
    if (out) expectFold(out, n, 0, p, k, `Reduce ${k.name}`);
  }
  const loc = isRoot ? new Float64Array(4) : null;
  await c.Reduce(Float64Array.of(me, me, 1, me), loc, MAXLOC, root);
  if (loc) expect(nums(loc)).toEqual([p - 1, p - 1, 1, 0]);
  const mats = isRoot ? new Int32Array(8) : null;
  await c.Reduce(Int32Array.from([...matrixOf(me), ...matrixOf(me + 1)]), mats, matOp, root);
  if (mats) expect(nums(mats)).toEqual([...foldRanks(0, p, matrixOf, matmul), ...foldRanks(0, p, (r) => matrixOf(r + 1), matmul)]);
  if (isRoot) {
    const inout = make(Float64Array, n, (j) => me + j);
    await c.Reduce(IN_PLACE, inout, SUM, root);
    expect(nums(inout)).toEqual(range(n).map((j) => (p * (p - 1)) / 2 + p * j));
  } else {
    await c.Reduce(make(Float64Array, n, (j) => me + j), null, SUM, root);
  }
  // Scatterv / Gatherv: rank i has i % 3 + n elements; blocks stored in reverse with a gap of 1.
  const counts = range(p).map((i) => (i % 3) + n);
  const displs: number[] = [];
  let at = 1;
  for (let i = p - 1; i >= 0; i--) { displs[i] = at; at += counts[i]! + 1; }
  const big = new Uint16Array(at);
  if (isRoot) range(p).forEach((i) => big.set(Uint16Array.from({ length: counts[i]! }, (_, j) => i * 50 + j), displs[i]));
  const mine = new Uint16Array(counts[me]!);
  await c.Scatterv(isRoot ? [big, counts, displs] : null, mine, root);
  expect(nums(mine)).toEqual(range(counts[me]!).map((j) => me * 50 + j));
  const back = isRoot ? new Uint16Array(at).fill(7) : null;
  await c.Gatherv(mine, isRoot ? [back!, counts, displs] : null, root);
  if (back) expect(nums(back)).toEqual(nums(big).map((x, i) => (displs.some((d, r) => i >= d && i < d + counts[r]!) ? x : 7)));
  // In place at the root: its own block stays where it is in the vector buffer.
  if (isRoot) {
    const v = Uint16Array.from(big);
    await c.Scatterv([v, counts, displs], IN_PLACE, root);
    expect(nums(v)).toEqual(nums(big));
    const g = new Uint16Array(at).fill(7);
    g.set(big.subarray(displs[root], displs[root]! + counts[root]!), displs[root]);
    await c.Gatherv(IN_PLACE, [g, counts, displs], root);
    expect(nums(g)).toEqual(nums(back!));
  } else {
    const r = new Uint16Array(counts[me]!);
    await c.Scatterv(null, r, root);
    expect(nums(r)).toEqual(nums(mine));
    await c.Gatherv(r, null, root);
  }
}

async function bufferSuite(c: Communicator, n: number): Promise<void> {
  const p = c.size, me = c.rank;
  for (let root = 0; root < p; root++) await rootedCalls(c, root, n);

  for (const K of [Float64Array, BigUint64Array, Int8Array]) {
    const all = make(K, p * n, () => 99);
    await c.Allgather(make(K, n, (j) => me + j), all);
    expect(nums(all)).toEqual(range(p * n).map((i) => Math.floor(i / n) + (i % n)));
    const inPlace = make(K, p * n, (i) => (Math.floor(i / n) === me ? me * 2 + (i % n) : 0));
    await c.Allgather(IN_PLACE, inPlace);
    expect(nums(inPlace)).toEqual(range(p * n).map((i) => Math.floor(i / n) * 2 + (i % n)));
    // Alltoall: block j of rank i is i*5 + j (+ element index; fits an Int8Array).
    const recv = new K(p * n);
    await c.Alltoall(make(K, p * n, (i) => me * 5 + Math.floor(i / n) + (i % n)), recv);
    expect(nums(recv)).toEqual(range(p * n).map((i) => Math.floor(i / n) * 5 + me + (i % n)));
    const io = make(K, p * n, (i) => me * 5 + Math.floor(i / n) + (i % n));
    await c.Alltoall(IN_PLACE, io);
    expect(nums(io)).toEqual(nums(recv));
  }

  for (const k of ELEMENTWISE) {
    const send = make(k.K, n, (j) => k.el(me, j));
    const out = new k.K(n);
    await c.Allreduce(send, out, k.op);
    expectFold(out, n, 0, p, k, `Allreduce ${k.name}`);
    expect(nums(send), 'Allreduce leaves the send buffer alone').toEqual(range(n).map((j) => k.el(me, j)));
    const io = make(k.K, n, (j) => k.el(me, j));
    await c.Allreduce(IN_PLACE, io, k.op);
    expectFold(io, n, 0, p, k, `Allreduce in place ${k.name}`);
    const sc = new k.K(n);
    await c.Scan(send, sc, k.op);
    expectFold(sc, n, 0, me + 1, k, `Scan ${k.name}`);
    const ex = make(k.K, n, () => 3);
    await c.Exscan(send, ex, k.op);
    if (me === 0) expect(nums(ex), 'Exscan leaves rank 0 alone').toEqual(new Array(n).fill(3));
    else expectFold(ex, n, 0, me, k, `Exscan ${k.name}`);
    const scIo = make(k.K, n, (j) => k.el(me, j));
    await c.Scan(IN_PLACE, scIo, k.op);
    expectFold(scIo, n, 0, me + 1, k, `Scan in place ${k.name}`);
    // Reduce_scatter_block: rank r contributes el(r, j) at position j of the whole p·n vector.
    const whole = make(k.K, p * n, (j) => k.el(me, j));
    const block = new k.K(n);
    await c.Reduce_scatter_block(whole, block, k.op);
    expect(nums(block), `Reduce_scatter_block ${k.name}`).toEqual(range(n).map((j) => foldRanks(0, p, (r) => k.el(r, me * n + j), k.f)));
    const wholeIo = make(k.K, p * n, (j) => k.el(me, j));
    await c.Reduce_scatter_block(IN_PLACE, wholeIo, k.op);
    expect(nums(wholeIo.subarray(0, n)), `Reduce_scatter_block in place ${k.name}`).toEqual(nums(block));
  }
  // MAXLOC/MINLOC on interleaved pairs, ties to the lower index.
  const pairs = Float64Array.of(me, me, 10 - me, me, 4, p - me, 0, 0);
  const maxl = new Float64Array(8), minl = new Float64Array(8);
  await c.Allreduce(pairs, maxl, MAXLOC);
  await c.Allreduce(pairs, minl, MINLOC);
  expect(nums(maxl)).toEqual([p - 1, p - 1, 10, 0, 4, 1, 0, 0]);
  expect(nums(minl)).toEqual([0, 0, 10 - (p - 1), p - 1, 4, 1, 0, 0]);
  const mats = new Int32Array(4 * 3);
  await c.Allreduce(Int32Array.from([0, 1, 2].flatMap((k) => matrixOf(me + k))), mats, matOp);
  expect(nums(mats)).toEqual([0, 1, 2].flatMap((k) => foldRanks(0, p, (r) => matrixOf(r + k), matmul)));
  const sm = new Int32Array(4);
  await c.Scan(Int32Array.from(matrixOf(me)), sm, matOp);
  expect(nums(sm)).toEqual(foldRanks(0, me + 1, matrixOf, matmul));

  // Vector variants: rank i holds i % 4 elements (some zero).
  const counts = range(p).map((i) => i % 4);
  const total = counts.reduce((a, b) => a + b, 0);
  const displs = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
  const agv = new Float64Array(total);
  await c.Allgatherv(make(Float64Array, counts[me]!, (j) => me + j / 4), [agv, counts]);
  expect(nums(agv)).toEqual(range(p).flatMap((i) => range(counts[i]!).map((j) => i + j / 4)));
  const agvIo = new Float64Array(total);
  agvIo.set(make(Float64Array, counts[me]!, (j) => me + j / 4) as Float64Array, displs[me]);
  await c.Allgatherv(IN_PLACE, [agvIo, counts, displs]);
  expect(nums(agvIo)).toEqual(nums(agv));
  // Alltoallv: rank i sends (i + j) % 3 elements to rank j, valued i*100 + j.
  const sc = range(p).map((j) => (me + j) % 3);
  const rc = range(p).map((i) => (i + me) % 3);
  const sd = sc.map((_, j) => sc.slice(0, j).reduce((a, b) => a + b, 0));
  const sendv = new Int32Array(sc.reduce((a, b) => a + b, 0));
  range(p).forEach((j) => sendv.fill(me * 100 + j, sd[j], sd[j]! + sc[j]!));
  const recvv = new Int32Array(rc.reduce((a, b) => a + b, 0));
  await c.Alltoallv([sendv, sc, sd], [recvv, rc]);
  expect(nums(recvv)).toEqual(range(p).flatMap((i) => new Array(rc[i]!).fill(i * 100 + me)));
  // Reduce_scatter with uneven counts.
  const rcounts = range(p).map((i) => (i % 2) + 1);
  const rtotal = rcounts.reduce((a, b) => a + b, 0);
  const mineRs = new Float64Array(rcounts[me]!);
  await c.Reduce_scatter(make(Float64Array, rtotal, (j) => me * j), mineRs, rcounts, SUM);
  const off = rcounts.slice(0, me).reduce((a, b) => a + b, 0);
  expect(nums(mineRs)).toEqual(range(rcounts[me]!).map((j) => ((p * (p - 1)) / 2) * (off + j)));
  const rsIo = make(Float64Array, rtotal, (j) => me * j);
  await c.Reduce_scatter(IN_PLACE, rsIo, rcounts, SUM);
  expect(nums(rsIo.subarray(0, rcounts[me]!))).toEqual(nums(mineRs));
  const avIo = new Int32Array(recvv.length);
  range(p).forEach((i) => avIo.fill(me * 100 + i, rc.slice(0, i).reduce((a, b) => a + b, 0), rc.slice(0, i + 1).reduce((a, b) => a + b, 0)));
  // In place the receive spec is also the send spec: rank i's block for j has rc[j] = (j + me) % 3 elements,
  // exactly what rank j expects from it.
  await c.Alltoallv(IN_PLACE, [avIo, rc]);
  expect(nums(avIo)).toEqual(nums(recvv));
}

const LENGTHS = [0, 5];

describe.each(SIZES)('buffers on %i ranks', (size) => {
  it.each(KINDS)('every call, every root, default algorithms, on the %s communicator', async (kind) => {
    await runWorld(size, async (world) => {
      const c = await commOf(world, kind);
      for (const n of LENGTHS) await bufferSuite(c, n);
    }, 40_000);
  });
  it('every call, every root, large-message algorithms forced, on the world and a split', async () => {
    tuning.largeMessageBytes = 0;
    tuning.bcastScatterMinRanks = 0;
    await runWorld(size, async (world) => {
      for (const n of [3, 8]) await bufferSuite(world, n);
      const half = await commOf(world, 'split');
      await bufferSuite(half, 6);
    }, 40_000);
  });
});

describe('large buffers with the default threshold', () => {
  it.each([3, 9, 16])('Bcast and Allreduce of 256 KiB on %i ranks', async (size) => {
    await runWorld(size, async (c) => {
      const n = 32 * 1024;
      for (let root = 0; root < size; root += 4) {
        const b = make(Float64Array, n, (i) => (c.rank === root ? i * 0.5 + root : -1));
        await c.Bcast(b, root);
        expect(b.every((x, i) => x === i * 0.5 + root)).toBe(true);
      }
      const r = new Float64Array(n);
      await c.Allreduce(make(Float64Array, n, (i) => i + c.rank), r, SUM);
      expect(r.every((x, i) => x === size * i + (size * (size - 1)) / 2)).toBe(true);
      const bi = make(BigInt64Array, n, (i) => i - c.rank);
      await c.Allreduce(IN_PLACE, bi, MIN);
      expect((bi as BigInt64Array).every((x, i) => x === BigInt(i - (size - 1)))).toBe(true);
    });
  });
});
