/**
 * Errors: a bad root rejects on the calling rank with TSMPI_ERR_ROOT; a buffer
 * of the wrong size rejects with TSMPI_ERR_TRUNCATE on that rank and on every
 * rank whose result depended on it; nothing hangs, and the communicator keeps
 * working afterwards.
 */
import { describe, expect, it } from 'vitest';
import { type Communicator, IN_PLACE, MAX, Op, SUM, tuning } from '@tsmpi/collectives';
import { codeOf, runWorld } from './helpers/world.ts';

const DEFAULT_LARGE = tuning.largeMessageBytes;

const ROOT = 'TSMPI_ERR_ROOT';
const TRUNCATE = 'TSMPI_ERR_TRUNCATE';

/** Every rooted call with `root`, each as a promise (so they all run even when all reject). */
function rootedCalls(c: Communicator, root: number): Promise<unknown>[] {
  const p = c.size;
  const b = new Float64Array(p);
  return [
    c.bcast(1, root), c.scatter(new Array(p).fill(1), root), c.gather(1, root), c.reduce(1, SUM, root),
    c.Bcast(b, root), c.Scatter(b, new Float64Array(1), root), c.Gather(new Float64Array(1), b, root),
    c.Reduce(b, new Float64Array(p), SUM, root), c.Scatterv([b, new Array(p).fill(1)], new Float64Array(1), root),
    c.Gatherv(new Float64Array(1), [b, new Array(p).fill(1)], root),
    c.ibcast(1, root).wait(), c.igather(1, root).wait(), c.iscatter([1], root).wait(), c.ireduce(1, SUM, root).wait(),
    c.Ibcast(b, root).wait(), c.Ireduce(b, new Float64Array(p), SUM, root).wait(),
  ];
}

describe('roots outside the communicator', () => {
  it.each([1, 3, 4])('reject with TSMPI_ERR_ROOT on every rank (%i ranks), for -size, size, -1 and 1.5', async (n) => {
    await runWorld(n, async (c) => {
      for (const root of [-n, n, -1, 1.5, Number.NaN]) {
        const codes = await Promise.all(rootedCalls(c, root).map(codeOf));
        expect(codes).toEqual(codes.map(() => ROOT));
      }
      // No sequence number was used up: the next collectives still match.
      expect(await c.bcast(c.rank === n - 1 ? 'still fine' : null, n - 1)).toBe('still fine');
      expect(await c.allreduce(1)).toBe(n);
    });
  });
  it('says which roots are valid', async () => {
    await runWorld(2, async (c) => {
      await expect(c.bcast(1, 2)).rejects.toThrow(/root 2 .*0\.\.1/);
    });
  });
});

describe('buffers of the wrong size', () => {
  it('Scatter: a send buffer that is not size blocks fails on every rank', async () => {
    await runWorld(5, async (c) => {
      const code = await codeOf(c.Scatter(c.rank === 2 ? new Int32Array(11) : null, new Int32Array(2), 2));
      expect(code).toBe(TRUNCATE);
      expect(await c.allgather(c.rank)).toEqual([0, 1, 2, 3, 4]);
    });
  });
  it('Scatter: a receive buffer of the wrong size fails only on its rank', async () => {
    await runWorld(6, async (c) => {
      const recv = new Int32Array(c.rank === 3 ? 3 : 2);
      const code = await codeOf(c.Scatter(c.rank === 0 ? Int32Array.from({ length: 12 }, (_, i) => i) : null, recv, 0));
      expect(code).toBe(c.rank === 3 ? TRUNCATE : 'resolved');
      if (c.rank !== 3) expect(Array.from(recv)).toEqual([2 * c.rank, 2 * c.rank + 1]);
    });
  });
  it('Bcast: a buffer of another size or kind fails on its rank; its subtree still gets the data', async () => {
    for (const large of [false, true]) {
      tuning.largeMessageBytes = large ? 0 : DEFAULT_LARGE;
      try {
        await runWorld(8, async (c) => {
          // Ranks 4 and 2 are inner nodes of the tree from root 0 (5, 6 and 7 hang below 4, 3 below 2).
          const buf = c.rank === 4 ? new Float64Array(9) : c.rank === 2 ? new Int32Array(16) : new Float64Array(8);
          if (c.rank === 0) buf.fill(4);
          const code = await codeOf(c.Bcast(buf, 0));
          expect(code).toBe(c.rank === 4 ? TRUNCATE : c.rank === 2 ? 'TSMPI_ERR_BUFFER' : 'resolved');
          if (c.rank !== 2 && c.rank !== 4) expect(Array.from(buf)).toEqual(new Array(8).fill(4));
          // A buffer of another kind is left alone, even when its byte size matches.
          if (c.rank === 2) expect(Array.from(buf)).toEqual(new Array(16).fill(0));
        });
      } finally {
        tuning.largeMessageBytes = DEFAULT_LARGE;
      }
    }
  });
  it('Gather: a short receive buffer at the root, or a long send buffer, fails at the root', async () => {
    await runWorld(4, async (c) => {
      expect(await codeOf(c.Gather(new Int8Array(2), c.rank === 1 ? new Int8Array(7) : null, 1))).toBe(c.rank === 1 ? TRUNCATE : 'resolved');
      const send = new Int8Array(c.rank === 3 ? 3 : 2);
      expect(await codeOf(c.Gather(send, c.rank === 0 ? new Int8Array(8) : null, 0))).toBe(c.rank === 0 ? TRUNCATE : 'resolved');
    });
  });
  it('Gather on 8 ranks: a bad block two levels down the tree fails the root and no rank between', async () => {
    await runWorld(8, async (c) => {
      // Root 0: rank 7's block reaches rank 6, then rank 4, then the root.
      const long = await codeOf(c.Gather(new Int8Array(c.rank === 7 ? 3 : 2), c.rank === 0 ? new Int8Array(16) : null, 0));
      expect(long, `rank ${c.rank}`).toBe(c.rank === 0 ? TRUNCATE : 'resolved');
      const kind = await codeOf(c.Gather(c.rank === 7 ? new Int16Array(2) : new Int8Array(4), c.rank === 0 ? new Int8Array(32) : null, 0));
      expect(kind, `rank ${c.rank}`).toBe(c.rank === 0 ? 'TSMPI_ERR_BUFFER' : 'resolved');
      const bad = await codeOf(c.Gather(c.rank === 7 ? ([1, 2] as never) : new Int8Array(2), c.rank === 0 ? new Int8Array(16) : null, 0));
      expect(bad, `rank ${c.rank}`).toBe(c.rank === 0 || c.rank === 7 ? 'TSMPI_ERR_BUFFER' : 'resolved');
      expect(await c.allgather(c.rank)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });
  });
  it.each([false, true])('Allreduce with mismatched lengths fails everywhere without hanging (large=%s)', async (large) => {
    tuning.largeMessageBytes = large ? 1024 : DEFAULT_LARGE;
    try {
      for (const n of [2, 5, 8, 9]) {
        await runWorld(n, async (c) => {
          // Rank 1's buffer is bigger: with large=true it alone crosses the threshold and picks the other algorithm.
          const len = c.rank === 1 ? 200 : 100;
          const code = await codeOf(c.Allreduce(new Float64Array(len), new Float64Array(len), SUM));
          expect(code).toBe(TRUNCATE);
          expect(await c.allreduce(2)).toBe(2 * n);
        });
      }
    } finally {
      tuning.largeMessageBytes = DEFAULT_LARGE;
    }
  });
  it('Allreduce with send and receive buffers of different lengths fails everywhere', async () => {
    await runWorld(4, async (c) => {
      const code = await codeOf(c.Allreduce(new Int32Array(4), new Int32Array(c.rank === 2 ? 3 : 4), MAX));
      expect(code).toBe(TRUNCATE);
    });
  });
  it('Allgather, Alltoall, Reduce, Scan, Reduce_scatter_block and the v variants report TRUNCATE', async () => {
    await runWorld(4, async (c) => {
      // Rank 2 passes the odd buffer. `failing` lists the ranks that must reject: the ones
      // whose result depends on rank 2's data (and rank 2 when it can tell).
      const odd = c.rank === 2;
      const all = [0, 1, 2, 3];
      const cases: [string, () => Promise<void>, number[]][] = [
        ['Allgather', () => c.Allgather(new Int32Array(odd ? 3 : 2), new Int32Array(8)), all],
        ['Allgather recv', () => c.Allgather(new Int32Array(2), new Int32Array(odd ? 7 : 8)), all],
        ['Alltoall', () => c.Alltoall(new Int32Array(8), new Int32Array(odd ? 9 : 8)), all],
        // In the tree rooted at 0, rank 2 combines rank 3's data, so it notices too.
        ['Reduce', () => c.Reduce(new Int32Array(odd ? 5 : 4), c.rank === 0 ? new Int32Array(4) : null, SUM, 0), [0, 2]],
        ['Scan', () => c.Scan(new Int32Array(odd ? 5 : 4), new Int32Array(odd ? 5 : 4), SUM), all],
        ['Reduce_scatter_block', () => c.Reduce_scatter_block(new Int32Array(odd ? 12 : 8), new Int32Array(odd ? 3 : 2), SUM), all],
        ['Reduce_scatter_block non-commutative', () => c.Reduce_scatter_block(new Int32Array(odd ? 12 : 8), new Int32Array(odd ? 3 : 2), Op.create((a, b) => a + b)), all],
        ['Allgatherv', () => c.Allgatherv(new Int32Array(odd ? 2 : 1), [new Int32Array(4), [1, 1, 1, 1]]), all],
        ['Scatterv', () => c.Scatterv(c.rank === 0 ? [new Int32Array(4), [1, 1, 1, 1]] : null, new Int32Array(odd ? 2 : 1), 0), [2]],
        ['Gatherv', () => c.Gatherv(new Int32Array(odd ? 2 : 1), c.rank === 0 ? [new Int32Array(4), [1, 1, 1, 1]] : null, 0), [0]],
        ['Alltoallv', () => c.Alltoallv([new Int32Array(4), [1, 1, 1, 1]], [new Int32Array(4), odd ? [2, 1, 1, 0] : [1, 1, 1, 1]]), [2]],
      ];
      for (const [name, call, failing] of cases) {
        const code = await codeOf(call());
        expect(code, `${name} on rank ${c.rank}`).toBe(failing.includes(c.rank) ? TRUNCATE : 'resolved');
      }
      expect(await c.allgather(c.rank)).toEqual([0, 1, 2, 3]);
    });
  });
});

describe('a typed-array kind that differs on one rank', () => {
  // 4 ranks gather by recursive doubling (each round's blocks received in place when their kind matches),
  // 3 by Bruck's rounds: either way every rank must report the kind, none read the bytes as its own kind.
  it.each([3, 4])('Allgather on %i ranks reports TSMPI_ERR_BUFFER everywhere', async (p) => {
    await runWorld(p, async (c) => {
      const odd = c.rank === 1;
      const n = 4096; // 32 KiB blocks: large enough to be received in place
      const send = odd ? new Float32Array(2 * n) : new Float64Array(n);
      const recv = odd ? new Float32Array(2 * n * p) : new Float64Array(n * p);
      expect(await codeOf(c.Allgather(send, recv)), `rank ${c.rank}`).toBe('TSMPI_ERR_BUFFER');
      expect(await c.allgather(c.rank)).toEqual(Array.from({ length: p }, (_, i) => i));
    });
  });
});

describe('other failures reach every rank that depends on them', () => {
  it('an op that cannot combine the values fails with TSMPI_ERR_OP everywhere', async () => {
    await runWorld(5, async (c) => {
      expect(await codeOf(c.allreduce({ a: 1 }, MAX))).toBe('TSMPI_ERR_OP');
      // Rank 2 combines rank 3's value in the tree, and fails; the root inherits the failure.
      expect(await codeOf(c.reduce(c.rank === 3 ? 'x' : 1, SUM, 0))).toBe(c.rank === 0 || c.rank === 2 ? 'TSMPI_ERR_OP' : 'resolved');
      // Ranks 0 and 4 exchange partial results in the scan; ranks 1-3 never see the bigint.
      expect(await codeOf(c.scan(c.rank === 4 ? 1n : 1, SUM))).toBe(c.rank === 0 || c.rank === 4 ? 'TSMPI_ERR_OP' : 'resolved');
      const boom = (a: number, b: number) => { if (a + b > 3) throw new Error('too big'); return a + b; };
      const err = await c.allreduce(1, boom).catch((e: unknown) => e as Error & { code: string });
      expect((err as { code: string }).code).toBe('TSMPI_ERR_OP');
      expect(String((err as Error).message)).toMatch(/too big/);
    });
  });
  it('a value that cannot be sent fails at the sender and at every rank waiting for it', async () => {
    await runWorld(6, async (c) => {
      expect(await codeOf(c.bcast(c.rank === 2 ? { f: () => 1 } : null, 2))).toBe('TSMPI_ERR_VALUE');
      expect(await codeOf(c.allgather(c.rank === 5 ? Symbol('s') : c.rank))).toBe('TSMPI_ERR_VALUE');
      expect(await codeOf(c.gather(c.rank === 4 ? () => 0 : 0, 0))).toBe(c.rank === 0 || c.rank === 4 ? 'TSMPI_ERR_VALUE' : 'resolved');
    });
  });
  it('scatter and alltoall need one value per rank', async () => {
    await runWorld(3, async (c) => {
      expect(await codeOf(c.scatter(c.rank === 1 ? [1, 2] : null, 1))).toBe('TSMPI_ERR_ARG');
      expect(await codeOf(c.alltoall(c.rank === 0 ? [1] : [1, 2, 3]))).toBe(c.rank === 0 ? 'TSMPI_ERR_ARG' : 'TSMPI_ERR_ARG');
      expect(await c.alltoall([c.rank, c.rank, c.rank])).toEqual([0, 1, 2]);
    });
  });
  it('a bad op or a buffer that is not a typed array says what to pass', async () => {
    await runWorld(2, async (c) => {
      await expect(c.allreduce(1, 'SUM' as never)).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
      await expect(c.Allreduce([1, 2] as never, new Float64Array(2))).rejects.toMatchObject({ code: 'TSMPI_ERR_BUFFER', message: expect.stringMatching(/typed array/) });
      await expect(c.Allreduce(Float64Array.of(1, 2, 3), new Float64Array(3), IN_PLACE as never)).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
    });
  });
  it('a freed communicator rejects with TSMPI_ERR_STATE', async () => {
    await runWorld(2, async (c) => {
      const d = await c.dup();
      d.free();
      await expect(d.barrier()).rejects.toMatchObject({ code: 'TSMPI_ERR_STATE' });
      await expect(d.ibarrier().wait()).rejects.toThrow(/freed/);
      await expect(d.ibcast(1).wait()).rejects.toMatchObject({ code: 'TSMPI_ERR_STATE' });
    });
  });
});
