/**
 * Several non-blocking collectives in flight at once, on one communicator and
 * on a duplicate, interleaved with point-to-point traffic: nothing
 * cross-matches, and results are right whatever order they are waited in.
 */
import { describe, expect, it } from 'vitest';
import { ANY_SOURCE, ANY_TAG, Request, Status } from '@tsmpi/runtime';
import { MAX, MIN, SUM } from '@tsmpi/collectives';
import { runWorld } from './helpers/world.ts';

describe('non-blocking collectives', () => {
  it.each([1, 2, 5, 8, 9])('many in flight on a communicator and its duplicate, with point-to-point between them (%i ranks)', async (n) => {
    await runWorld(n, async (world) => {
      const dup = await world.dup();
      const me = world.rank, right = (me + 1) % n, left = (me - 1 + n) % n;
      // The point-to-point receive is posted first, so it (not the wildcard below) gets that message.
      const fromLeft = world.irecv(left, 3);
      // A user receive that would match anything on the world: collectives must not feed it.
      const wild = world.irecv(ANY_SOURCE, ANY_TAG);
      const wildDup = dup.irecv(ANY_SOURCE, 7);
      const reqs: Request<unknown>[] = [
        world.ibcast(me === n - 1 ? { from: 'last' } : null, n - 1),
        dup.iallreduce(me, SUM),
        world.iallgather(`w${me}`),
        world.isend(`p2p ${me}`, right, 3),
        dup.ibarrier(),
        world.ireduce(me, MAX, 0),
        dup.igather(me * 2, n - 1),
        world.iscatter(me === 0 ? Array.from({ length: n }, (_, i) => i * i) : null, 0),
        dup.ialltoall(Array.from({ length: n }, (_, i) => [me, i])),
        world.iallreduce(Float64Array.of(me, 5 - me), MIN),
        fromLeft,
        dup.iscan(1),
        dup.iexscan(2),
      ];
      const bufIn = Float64Array.of(me, 1), bufOut = new Float64Array(2);
      const big = new Int32Array(4).fill(me === 0 ? 9 : 0);
      reqs.push(world.Iallreduce(bufIn, bufOut, SUM), dup.Ibcast(big, 0));
      // Wait in reverse order of starting.
      const results: unknown[] = [];
      for (let i = reqs.length - 1; i >= 0; i--) results[i] = await reqs[i]!.wait();
      expect(results[0]).toEqual({ from: 'last' });
      expect(results[1]).toBe((n * (n - 1)) / 2);
      expect(results[2]).toEqual(Array.from({ length: n }, (_, i) => `w${i}`));
      expect(results[5]).toBe(me === 0 ? n - 1 : null);
      expect(results[6]).toEqual(me === n - 1 ? Array.from({ length: n }, (_, i) => i * 2) : null);
      expect(results[7]).toBe(me * me);
      expect(results[8]).toEqual(Array.from({ length: n }, (_, i) => [i, me]));
      expect(results[9]).toEqual(Float64Array.of(0, 5 - (n - 1)));
      expect(results[10]).toBe(`p2p ${left}`);
      expect(results[11]).toBe(me + 1);
      expect(results[12]).toBe(me === 0 ? null : 2 * me);
      expect(Array.from(bufOut)).toEqual([(n * (n - 1)) / 2, n]);
      expect(Array.from(big)).toEqual([9, 9, 9, 9]);
      // No collective message reached the user receives.
      expect(wild.test()[0]).toBe(false);
      expect(wildDup.test()[0]).toBe(false);
      expect(world.iprobe(ANY_SOURCE, ANY_TAG)).toBe(false);
      // They still work for user messages, each on its own communicator.
      await world.send('world msg', me, 11);
      await dup.send('dup msg', me, 7);
      const st = new Status();
      expect(await wild.wait(st)).toBe('world msg');
      expect(st.tag).toBe(11);
      expect(await wildDup.wait()).toBe('dup msg');
    });
  });

  it('test() reports completion without waiting, and waitall gathers results', async () => {
    await runWorld(4, async (c) => {
      const r = c.iallreduce(c.rank + 1);
      expect(r.test()).toEqual([false, undefined]);
      const all = await Request.waitall<unknown>([r, c.iallgather(c.rank), c.ibarrier()]);
      expect(all).toEqual([10, [0, 1, 2, 3], undefined]);
      expect(r.test()).toEqual([true, 10]);
    });
  });

  it('a hundred collectives in flight on one communicator match by call order', async () => {
    await runWorld(6, async (c) => {
      const reqs = Array.from({ length: 100 }, (_, k) => (k % 2 ? c.iallreduce(k * c.rank) : c.ibcast(c.rank === k % 6 ? k : -1, k % 6)));
      const got = await Request.waitall<unknown>(reqs);
      expect(got).toEqual(Array.from({ length: 100 }, (_, k) => (k % 2 ? k * 15 : k)));
    });
  });
});
