/**
 * dup, split and Cartesian communicators: each is its own matching context
 * (point-to-point included), split orders members by (key, rank), context
 * ids never collide on any rank, and Cartesian grids know their neighbours.
 */
import { describe, expect, it } from 'vitest';
import { ANY_SOURCE, ANY_TAG, PROC_NULL } from '@tsmpi/runtime';
import { CartComm, Communicator, SUM, UNDEFINED, computeDims } from '@tsmpi/collectives';
import { codeOf, runWorld } from './helpers/world.ts';

describe('dup', () => {
  it('is a separate context for point-to-point and collectives, with the same ranks', async () => {
    await runWorld(4, async (c) => {
      const d = await c.dup();
      expect(d).toBeInstanceOf(Communicator);
      expect([d.rank, d.size, d.group]).toEqual([c.rank, c.size, c.group]);
      expect(d.context).not.toBe(c.context);
      expect(d.context % 2).toBe(0);
      const right = (c.rank + 1) % 4, left = (c.rank + 3) % 4;
      // A message on the world never matches a receive on the duplicate, even with wildcards.
      const onDup = d.irecv(ANY_SOURCE, ANY_TAG);
      await c.send('world', right, 5);
      expect(await c.recv(left, 5)).toBe('world');
      expect(onDup.test()[0]).toBe(false);
      await d.send('dup', right, 5);
      expect(await onDup.wait()).toBe('dup');
      const dd = await d.dup();
      expect(new Set([c.context, d.context, dd.context]).size).toBe(3);
      expect(await dd.allreduce(c.rank)).toBe(6);
    });
  });
  it('gives ids that are free on every member, even when some ranks made more communicators', async () => {
    await runWorld(6, async (c) => {
      const half = (await c.split(c.rank < 3 ? 0 : 1))!;
      // The first half makes three more communicators; the second none.
      const extra: Communicator[] = [];
      if (c.rank < 3) for (let i = 0; i < 3; i++) extra.push(await half.dup());
      const d = await c.dup();
      const mine = [c, half, ...extra, d].map((x) => x.context);
      expect(new Set(mine).size).toBe(mine.length);
      const all = await d.allgather(d.context);
      expect(new Set(all).size).toBe(1);
    });
  });
});

describe('split', () => {
  it.each([1, 2, 5, 9])('groups by color, orders by key then rank, and UNDEFINED gets null (%i ranks)', async (n) => {
    await runWorld(n, async (c) => {
      const color = c.rank % 3 === 2 ? UNDEFINED : c.rank % 3;
      const key = c.rank % 2 ? -c.rank : 0;
      const s = await c.split(color, key);
      if (color === UNDEFINED) { expect(s).toBeNull(); return; }
      const members = Array.from({ length: n }, (_, r) => r).filter((r) => r % 3 === color);
      members.sort((a, b) => ((a % 2 ? -a : 0) - (b % 2 ? -b : 0)) || a - b);
      expect(s!.group).toEqual(members);
      expect(s!.rank).toBe(members.indexOf(c.rank));
      expect(await s!.allgather(c.rank)).toEqual(members);
      // Point-to-point on the split uses split ranks.
      const next = (s!.rank + 1) % s!.size;
      await s!.send(c.rank, next, 1);
      expect(await s!.recv(ANY_SOURCE, 1)).toBe(members[(s!.rank - 1 + s!.size) % s!.size]);
      // Split of a split.
      const again = await s!.split(0, -s!.rank);
      expect(again!.group).toEqual([...members].reverse());
      expect(await again!.allreduce(1, SUM)).toBe(members.length);
    });
  });
  it('gives every color its own context ids, all different from the parent and each other', async () => {
    await runWorld(8, async (c) => {
      const s = (await c.split(c.rank % 4))!;
      const ids = await c.allgather(s.context);
      expect(ids.filter((id, r) => r % 4 === c.rank % 4).every((id) => id === s.context)).toBe(true);
      expect(new Set(ids).size).toBe(4);
      expect(ids).not.toContain(c.context);
      const next = await c.dup();
      expect(ids).not.toContain(next.context);
    });
  });
  it('rejects a bad color or key on every rank', async () => {
    await runWorld(3, async (c) => {
      expect(await codeOf(c.split(c.rank === 1 ? -5 : 0))).toBe('TSMPI_ERR_ARG');
      expect(await codeOf(c.split(0, c.rank === 2 ? 0.5 : 0))).toBe('TSMPI_ERR_ARG');
      expect(await c.allreduce(1)).toBe(3);
    });
  });
  it('mpi4py spellings work', async () => {
    await runWorld(3, async (c) => {
      const d = await c.Dup();
      const s = await d.Split(0, -d.rank);
      expect(s!.Get_rank()).toBe(2 - c.rank);
      await s!.Barrier();
      const cl = await c.Clone();
      expect(cl.Get_size()).toBe(3);
      cl.Free();
      await expect(cl.barrier()).rejects.toMatchObject({ code: 'TSMPI_ERR_STATE' });
    });
  });
});

describe('Cartesian communicators', () => {
  it('lays ranks out row-major and finds neighbours with shift', async () => {
    await runWorld(7, async (c) => {
      // 3x2 grid, periodic in the first dimension only; rank 6 is left out.
      const cart = await c.createCart([3, 2], [true, false]);
      if (c.rank === 6) { expect(cart).toBeNull(); return; }
      expect(cart).toBeInstanceOf(CartComm);
      const g = cart!;
      expect([g.dims, g.periods, g.ndim, g.size]).toEqual([[3, 2], [true, false], 2, 6]);
      const [x, y] = [Math.floor(c.rank / 2), c.rank % 2];
      expect(g.coords).toEqual([x, y]);
      expect(g.getCoords(5)).toEqual([2, 1]);
      expect(g.getCartRank([x, y])).toBe(c.rank);
      expect(g.getCartRank([-1, 1])).toBe(5);
      expect(() => g.getCartRank([0, 2])).toThrow(/not periodic/);
      expect(g.shift(0, 1)).toEqual([((x + 2) % 3) * 2 + y, ((x + 1) % 3) * 2 + y]);
      expect(g.shift(1, 1)).toEqual(y === 0 ? [PROC_NULL, c.rank + 1] : [c.rank - 1, PROC_NULL]);
      expect(g.shift(1, -1)).toEqual(y === 0 ? [c.rank + 1, PROC_NULL] : [PROC_NULL, c.rank - 1]);
      expect(g.shift(0, 3)).toEqual([c.rank, c.rank]);
      expect(g.Get_topo()).toEqual([[3, 2], [true, false], [x, y]]);
      // A halo exchange along each dimension with sendrecv; PROC_NULL peers are no-ops.
      for (const dir of [0, 1]) {
        const [src, dst] = g.shift(dir, 1);
        const got = await g.sendrecv(g.coords, dst, 0, src, 0);
        expect(got).toEqual(src === PROC_NULL ? null : g.getCoords(src));
      }
      // Rows and columns.
      const row = await g.sub([false, true]);
      expect([row.dims, row.size, row.coords]).toEqual([[2], 2, [y]]);
      expect(await row.allgather(c.rank)).toEqual([x * 2, x * 2 + 1]);
      const col = await g.sub([true, false]);
      expect([col.dims, col.periods, col.coords]).toEqual([[3], [true], [x]]);
      expect(await col.allgather(c.rank)).toEqual([y, y + 2, y + 4]);
      const point = await g.sub([false, false]);
      expect([point.size, point.dims, point.coords]).toEqual([1, [], []]);
      // A duplicate keeps the grid; a split does not.
      const d = await g.dup();
      expect(d).toBeInstanceOf(CartComm);
      expect([d.dims, d.coords]).toEqual([[3, 2], [x, y]]);
      const s = await g.split(0);
      expect(s).toBeInstanceOf(Communicator);
      expect(s).not.toBeInstanceOf(CartComm);
      expect(await g.allreduce(1)).toBe(6);
    });
  });
  it('works with computeDims at every size, 3-d and periodic', async () => {
    for (const n of [1, 4, 8, 12]) {
      await runWorld(n, async (c) => {
        const dims = computeDims(n, 3);
        const g = (await c.Create_cart(dims, true))!;
        expect(g.dims).toEqual(dims);
        for (let d = 0; d < 3; d++) {
          const [src, dst] = g.Shift(d, 1);
          expect(await g.sendrecv(g.rank, dst, 9, src, 9)).toBe(src);
        }
      });
    }
  });
  it('rejects a grid larger than the communicator and bad dims', async () => {
    await runWorld(2, async (c) => {
      await expect(c.createCart([3])).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
      await expect(c.createCart([0, 2])).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
      await expect(c.createCart([2], [true, false])).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
      const g = (await c.createCart([2]))!;
      expect(() => g.shift(1, 1)).toThrow(/direction/);
      await expect(g.sub([true, true])).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
    });
  });
});

describe('computeDims', () => {
  it.each([
    [6, 2, [3, 2]], [7, 2, [7, 1]], [8, 3, [2, 2, 2]], [12, 3, [3, 2, 2]], [16, 3, [4, 2, 2]], [24, 2, [6, 4]],
    [24, 3, [4, 3, 2]], [30, 3, [5, 3, 2]], [36, 2, [6, 6]], [64, 3, [4, 4, 4]], [20, 3, [5, 2, 2]], [1, 2, [1, 1]],
    [1024, 2, [32, 32]], [17, 1, [17]], [1000, 3, [10, 10, 10]], [48, 4, [4, 3, 2, 2]],
  ] as [number, number, number[]][])('computeDims(%i, %i) is %j', (nnodes, ndims, dims) => {
    expect(computeDims(nnodes, ndims)).toEqual(dims);
  });
  it('keeps fixed entries and fills the zeros', () => {
    expect(computeDims(24, [0, 3, 0])).toEqual([4, 3, 2]);
    expect(computeDims(12, [2, 0])).toEqual([2, 6]);
    expect(computeDims(12, [3, 4])).toEqual([3, 4]);
    expect(() => computeDims(10, [3, 0])).toThrow(/divide/);
    expect(() => computeDims(12, [3, 5])).toThrow(/divide/);
    expect(() => computeDims(0, 2)).toThrow(/positive/);
    expect(computeDims(1, 0)).toEqual([]);
    expect(() => computeDims(5, 0)).toThrow(/divide/);
  });
  it('always multiplies out and is non-increasing', () => {
    for (let n = 1; n <= 200; n++) {
      for (let d = 1; d <= 4; d++) {
        const dims = computeDims(n, d);
        expect(dims.reduce((a, b) => a * b, 1)).toBe(n);
        expect([...dims].sort((a, b) => b - a)).toEqual(dims);
      }
    }
  });
});
