/**
 * The lowercase (value) family, as mpi4py's own tests check it: every call
 * with every message, for every root, at sizes 1-9, 16 and 17, on the world,
 * a duplicate and a split (both halves at once).
 */
import { describe, expect, it } from 'vitest';
import type { Communicator } from '@tsmpi/collectives';
import { MESSAGES, foldRanks } from './helpers/messages.ts';
import { CASES } from './helpers/reductions.ts';
import { KINDS, SIZES, commOf, runWorld } from './helpers/world.ts';

async function rootedCalls(c: Communicator, root: number): Promise<void> {
  const p = c.size, me = c.rank;
  for (const m of MESSAGES) {
    expect(await c.bcast(me === root ? m : 'not this', root)).toEqual(m);
    const g = await c.gather(m, root);
    expect(g).toEqual(me === root ? new Array(p).fill(m) : null);
    expect(await c.scatter(me === root ? new Array(p).fill(m) : null, root)).toEqual(m);
  }
  // Distinct values land in rank order.
  expect(await c.gather({ from: me }, root)).toEqual(me === root ? Array.from({ length: p }, (_, i) => ({ from: i })) : null);
  expect(await c.scatter(me === root ? Array.from({ length: p }, (_, i) => [i, `to ${i}`]) : null, root)).toEqual([me, `to ${me}`]);
  for (const k of CASES) {
    const r = await c.reduce(k.value(me), k.op, root);
    expect(r, `reduce ${k.name} at root ${root}`).toEqual(me === root ? k.expect(0, p) : null);
  }
}

async function valueSuite(c: Communicator): Promise<void> {
  const p = c.size, me = c.rank;
  for (let root = 0; root < p; root++) await rootedCalls(c, root);
  for (const m of MESSAGES) {
    expect(await c.allgather(m)).toEqual(new Array(p).fill(m));
    expect(await c.alltoall(new Array(p).fill(m))).toEqual(new Array(p).fill(m));
  }
  expect(await c.allgather(me * 3)).toEqual(Array.from({ length: p }, (_, i) => i * 3));
  expect(await c.alltoall(Array.from({ length: p }, (_, i) => [me, i]))).toEqual(Array.from({ length: p }, (_, i) => [i, me]));
  for (const k of CASES) {
    expect(await c.allreduce(k.value(me), k.op), `allreduce ${k.name}`).toEqual(k.expect(0, p));
    expect(await c.scan(k.value(me), k.op), `scan ${k.name}`).toEqual(k.expect(0, me + 1));
    expect(await c.exscan(k.value(me), k.op), `exscan ${k.name}`).toEqual(me === 0 ? null : k.expect(0, me));
  }
  // Defaults: op SUM, root 0.
  expect(await c.reduce(me + 1)).toBe(me === 0 ? (p * (p + 1)) / 2 : null);
  expect(await c.allreduce(me + 1)).toBe((p * (p + 1)) / 2);
  expect(await c.scan(1)).toBe(me + 1);
  expect(await c.exscan(1)).toBe(me === 0 ? null : me);
  expect(await c.bcast(me === 0 ? 'from 0' : null)).toBe('from 0');
  await c.barrier();
  await c.Barrier();
  // The root gets its own object back, as in mpi4py.
  const obj = { big: [1, 2, 3] };
  const b = await c.bcast(obj, p - 1);
  if (me === p - 1) expect(b).toBe(obj);
  expect(foldRanks(0, 1, (r) => r, (a, x) => a + x)).toBe(0);
}

describe.each(SIZES)('values on %i ranks', (n) => {
  it.each(KINDS)('every call, every root, every op on the %s communicator', async (kind) => {
    await runWorld(n, async (world) => valueSuite(await commOf(world, kind)));
  });
});

describe('values through the tree', () => {
  it('carries large values and typed arrays inside values', async () => {
    const big = { xs: Float64Array.from({ length: 50_000 }, (_, i) => i / 3), s: 'é'.repeat(10_000), n: 2n ** 100n };
    await runWorld(7, async (c) => {
      const got = await c.bcast(c.rank === 3 ? big : null, 3);
      expect(got).toEqual(big);
      const all = await c.allgather(Int16Array.of(c.rank, -c.rank));
      expect(all).toEqual(Array.from({ length: 7 }, (_, i) => Int16Array.of(i, -i)));
    });
  });
});

describe('numbers in reductions', () => {
  // Numbers travel as one-element Float64Arrays; every other value (a Float64Array too) as [value].
  it.each([2, 3, 5, 8])('keep -0, NaN, infinities and exact doubles, next to other values, on %i ranks', async (n) => {
    await runWorld(n, async (c) => {
      const me = c.rank;
      expect(Object.is(await c.allreduce(-0, (a: number, b: number) => a * b > 0 ? a : b), -0)).toBe(true);
      expect(await c.allreduce(me === 1 ? NaN : me, Math.max)).toBeNaN();
      expect(await c.allreduce(me === n - 1 ? -Infinity : 0.1 * me, Math.min)).toBe(-Infinity);
      expect(await c.allreduce(0.1 + me / 3, Math.max)).toBe(0.1 + (n - 1) / 3);
      expect(await c.allreduce(2 ** 53 + 2 * me, Math.max)).toBe(2 ** 53 + 2 * (n - 1));
      const pick = (a: unknown, b: unknown) => (typeof a === 'number' ? b : a);
      // A one-element Float64Array is a value like any other, not a number.
      expect(await c.allreduce(me === 0 ? Float64Array.of(7) : me, pick)).toEqual(Float64Array.of(7));
      expect(await c.reduce(me === n - 1 ? 'last' : me, pick, n - 1)).toEqual(me === n - 1 ? 'last' : null);
    });
  });
});
