/**
 * Rounds on the critical path. Each engine keeps a logical clock: a message
 * carries 1 + its sender's clock, and a receive advances the receiver's
 * clock to it. With every clock reset before a collective, the largest clock
 * after it is the number of rounds on its critical path, which must grow as
 * O(log p): here at most 2·⌈log2 p⌉ + 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createInProcessWorld } from '@tsmpi/runtime';
import { Communicator, IN_PLACE, MAX, SUM, tuning } from '@tsmpi/collectives';
import { withTimeout } from './helpers/world.ts';

type World = ReturnType<typeof createInProcessWorld<Communicator>>;

async function roundsOn(w: World, body: (c: Communicator) => Promise<unknown>): Promise<{ rounds: number; frames: number }> {
  for (const e of w.engines) e.clock = 0;
  const before = w.hub.frames;
  await withTimeout(Promise.all(w.comms.map(body)), 30_000, `${w.comms.length} ranks did not finish`);
  return { rounds: Math.max(...w.engines.map((e) => e.clock)), frames: w.hub.frames - before };
}

const rounds = (n: number, body: (c: Communicator) => Promise<unknown>) => roundsOn(createInProcessWorld(n, Communicator), body);

const log2 = (p: number) => Math.ceil(Math.log2(p));

describe('rounds at p = 1024', () => {
  const p = 1024, bound = 2 * log2(p) + 2;
  // One world for all cases: building 1024 ranks is the expensive part.
  let world: World;
  beforeAll(() => { world = createInProcessWorld(p, Communicator); });
  it.each<[string, number | undefined, (c: Communicator) => Promise<unknown>]>([
    ['barrier', 10, (c) => c.barrier()],
    ['bcast', 10, (c) => c.bcast(c.rank === 0 ? { x: 1 } : null, 0)],
    ['bcast from root 700', 10, (c) => c.bcast(c.rank === 700 ? 'v' : null, 700)],
    ['Bcast', 10, (c) => c.Bcast(new Float64Array(16), 3)],
    ['reduce', 10, (c) => c.reduce(c.rank, SUM, 0)],
    // Values reduce in rank order: a tree rooted at 0, then one hop to the root.
    ['reduce to root 5', 11, (c) => c.reduce(c.rank, SUM, 5)],
    ['Reduce', 10, (c) => c.Reduce(Float64Array.of(c.rank), c.rank === 9 ? new Float64Array(1) : null, MAX, 9)],
    ['allreduce', 10, (c) => c.allreduce(c.rank)],
    ['Allreduce', 10, (c) => c.Allreduce(Float64Array.of(c.rank, 1), new Float64Array(2), SUM)],
  ])('%s takes %i rounds (at most 2·log2(p)+2)', async (_name, exact, body) => {
    const r = await roundsOn(world, body);
    expect(r.rounds).toBeLessThanOrEqual(bound);
    expect(r.rounds).toBe(exact);
  });
});

describe('rounds of the large-message algorithms', () => {
  it.each([64, 100])('Allreduce of 64 KiB (reduce-scatter + allgather) at p = %i', async (p) => {
    const n = 8192;
    const r = await rounds(p, async (c) => {
      const out = new Float64Array(n);
      await c.Allreduce(new Float64Array(n).fill(c.rank), out, SUM);
      expect(out[n - 1]).toBe((p * (p - 1)) / 2);
    });
    expect(r.rounds).toBeLessThanOrEqual(2 * log2(p) + 2);
    // Rabenseifner sends 2·log2(core) messages per core rank (plus the fold); recursive doubling half as many.
    const core = 2 ** Math.floor(Math.log2(p));
    expect(r.frames).toBe(core * 2 * Math.log2(core) + 2 * (p - core));
  });
  it('Allreduce below the threshold uses recursive doubling', async () => {
    const r = await rounds(64, (c) => c.Allreduce(IN_PLACE, new Float64Array(1000), SUM));
    expect(r.rounds).toBe(6);
    expect(r.frames).toBe(64 * 6);
  });
  it.each([64, 100])('Bcast of 64 KiB (scatter + allgather) at p = %i', async (p) => {
    const bytes = tuning.largeMessageBytes;
    const r = await rounds(p, async (c) => {
      const b = new Uint8Array(bytes);
      if (c.rank === 1) b.fill(7);
      await c.Bcast(b, 1);
      expect(b[bytes - 1]).toBe(7);
    });
    expect(r.rounds).toBeLessThanOrEqual(2 * log2(p) + 2);
    // p-1 scatter messages plus the allgather's ⌈log2 p⌉ per rank.
    expect(r.frames).toBe(p - 1 + p * log2(p));
  });
  it.each([3, 4, 7])('Bcast of 64 KiB below bcastScatterMinRanks (p = %i) uses the tree', async (p) => {
    const bytes = tuning.largeMessageBytes;
    const r = await rounds(p, async (c) => {
      const b = new Uint8Array(bytes);
      if (c.rank === p - 1) b.fill(7);
      await c.Bcast(b, p - 1);
      expect(b[bytes - 1]).toBe(7);
    });
    // Depth of the binomial tree: the most set bits of a relative rank below p.
    expect(r.rounds).toBe(Math.max(...Array.from({ length: p }, (_, v) => v.toString(2).split('1').length - 1)));
    expect(r.frames).toBe(p - 1);
  });
});
