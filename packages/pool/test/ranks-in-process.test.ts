/**
 * The ranks back end with every rank in this process (the in-process transport): the root's scheduling,
 * the workers' serve loop, results, errors and shutdown, quickly and at sizes no test machine runs as
 * processes. Tasks are named by reference (task(url, name)); the workers import the fixture module.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessWorld } from '@tsmpi/runtime';
import { Communicator } from '@tsmpi/collectives';
import { type PoolExecutor, task, withExecutor } from '@tsmpi/pool';
import type * as T from './fixtures/tasks.js';

const TASKS = new URL('./fixtures/tasks.ts', import.meta.url);
const square = task<typeof T.square>(TASKS, 'square');
const add = task<typeof T.add>(TASKS, 'add');
const later = task<typeof T.later>(TASKS, 'later');
const fail = task<typeof T.fail>(TASKS, 'fail');
const workersSize = task<typeof T.workersSize>(TASKS, 'workersSize');
const span = task<typeof T.span>(TASKS, 'span');

/** Run `body` on the root of an in-process world of `n` ranks; every rank's withExecutor result. */
async function world<R>(n: number, root: number, body: (ex: PoolExecutor) => Promise<R>, timeoutMs = 20_000): Promise<(R | 'served')[]> {
  const run = (ex: PoolExecutor | null): Promise<R | 'served'> => (ex ? body(ex) : Promise.resolve('served' as const));
  const { comms } = createInProcessWorld(n, Communicator);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`the pool of ${n} ranks did not finish within ${timeoutMs} ms`)), timeoutMs); });
  try {
    return await Promise.race([
      Promise.all(comms.map((c) => withExecutor(c, root, run, { backend: 'ranks', progress: false }))),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('ranks back end, in process', () => {
  for (const n of [2, 3, 5, 9]) {
    it(`maps, submits and shuts down on ${n} ranks`, async () => {
      const out = await world(n, 0, async (ex) => {
        expect(ex.backend).toBe('ranks');
        expect(ex.numWorkers).toBe(n - 1);
        const xs = Array.from({ length: 200 }, (_, i) => i);
        expect(await ex.map(square, xs).toArray()).toEqual(xs.map((x) => x * x));
        expect(await ex.map(square, xs, { chunksize: 7 }).toArray()).toEqual(xs.map((x) => x * x));
        expect((await ex.map(square, xs, { unordered: true }).toArray()).sort((a, b) => a - b)).toEqual(xs.map((x) => x * x));
        expect(await ex.submit(add, 20, 22)).toBe(42);
        return 'root';
      });
      expect(out).toEqual(Array.from({ length: n }, (_, r) => (r === 0 ? 'root' : 'served')));
    });
  }

  it('serves from any root, and the world goes on afterwards', async () => {
    const { comms } = createInProcessWorld(4, Communicator);
    const results = await Promise.all(comms.map(async (c) => {
      const r = await withExecutor(c, 2, async (ex) => (ex ? (await ex.map(square, [1, 2, 3]).toArray()).join(',') : null), { backend: 'ranks' });
      return c.allgather(r);
    }));
    for (const r of results) expect(r).toEqual([null, null, '1,4,9', null]);
  });

  it('spreads tasks over every worker, and returns errors with the worker number', async () => {
    await world(5, 0, async (ex) => {
      const err = await ex.submit(fail, 'no').then(() => undefined, (e: unknown) => e as Error & { rank: number });
      expect(err).toMatchObject({ name: 'RangeError', message: 'no', code: 'E_TASK' });
      expect([1, 2, 3, 4]).toContain(err!.rank);
      expect(err!.stack).toMatch(/<pool worker \d> \(task fail/);
      // New (so not queued behind each other) tasks run on several workers at once: at some moment at least
      // two of them were running (without depending on how fast this machine is today).
      const spans = await Promise.all(Array.from({ length: 8 }, () => ex.submit(span, 30)));
      const overlap = Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
      expect(overlap).toBeGreaterThanOrEqual(2);
      return null;
    });
  });

  it('tasks that call getCommWorkers() get one worker each and a communicator of all of them', async () => {
    await world(5, 0, async (ex) => {
      const sizes = await Promise.all(Array.from({ length: 4 }, () => ex.submit(workersSize)));
      expect(sizes).toEqual([[4, 4], [4, 4], [4, 4], [4, 4]]);
      return null;
    });
  });

  it('a failing body cancels what is queued, stops the workers and rethrows on the root', async () => {
    const { comms } = createInProcessWorld(3, Communicator);
    let fs: PromiseLike<number>[] = [];
    const outcomes = await Promise.allSettled(comms.map((c) => withExecutor(c, 0, async (ex) => {
      if (!ex) return 'served';
      fs = Array.from({ length: 10 }, (_, i) => ex.submit(later, i, 10));
      throw new Error('the root gives up');
    }, { backend: 'ranks' })));
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { message: 'the root gives up' } });
    expect(outcomes.slice(1)).toEqual([{ status: 'fulfilled', value: 'served' }, { status: 'fulfilled', value: 'served' }]);
    const settled = await Promise.allSettled(fs);
    expect(settled.filter((s) => s.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('checks its arguments', async () => {
    const { comms } = createInProcessWorld(2, Communicator);
    await expect(withExecutor(comms[0]!, 2, async () => 0)).rejects.toMatchObject({ code: 'TSMPI_ERR_ROOT' });
    await expect(withExecutor(comms[0]!, -1, async () => 0)).rejects.toMatchObject({ code: 'TSMPI_ERR_ROOT' });
    await expect(withExecutor({} as Communicator, 0, async () => 0)).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
    await expect(withExecutor(comms[0]!, 0, async () => 0, { backend: 'ranks', prefetch: -1 })).rejects.toMatchObject({ code: 'TSMPI_ERR_ARG' });
  });
});
