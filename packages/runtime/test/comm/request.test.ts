/**
 * Requests and their static helpers (mpi4py's Request.waitall/waitany/testall/
 * testany/waitsome/testsome), on an in-process world. As in MPI, a request
 * whose completion has been handed to the program (by wait, test or a helper)
 * is inactive: the any/some helpers skip it, and over only inactive requests
 * waitany gives [UNDEFINED, undefined].
 */
import { describe, expect, it } from 'vitest';
import { ANY_SOURCE, ANY_TAG, createInProcessWorld, PROC_NULL, Request, Status, UNDEFINED } from '@tsmpi/runtime';

/** Let the in-process hub deliver what was sent so far. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('Request', () => {
  it('test() is synchronous: false before the message, true once matched (without wait)', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const q = a!.irecv(1, 5);
    expect(q.test()).toEqual([false, undefined]);
    expect(q.done).toBe(false);
    await b!.isend({ x: 1 }, 0, 5).wait();
    await settle();
    const st = new Status();
    expect(q.test(st)).toEqual([true, { x: 1 }]);
    expect(st).toMatchObject({ source: 1, tag: 5 });
    expect(st.count).toBeGreaterThan(0);
    expect(await q.wait()).toEqual({ x: 1 }); // wait after completion still gives the value
  });

  it('wait(status) fills source, tag and byte count', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const q = a!.irecv(ANY_SOURCE, ANY_TAG);
    void b!.Send(new Float64Array(7), 0, 42);
    const st = new Status();
    const v = await q.wait(st);
    expect(v).toBeInstanceOf(Float64Array);
    expect(st.source).toBe(1);
    expect(st.tag).toBe(42);
    expect(st.count).toBe(56);
    expect(st.getCount(Float64Array)).toBe(7);
    expect(st.getCount()).toBe(56);
  });

  it('waitall: a send entry is undefined, receive entries are the values; statuses are filled', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const echo = (async () => { const v = await b!.recv(0, 1); await b!.send([v, 'back'], 0, 2); })();
    const statuses = [new Status(), new Status()];
    const values = await Request.waitall<unknown>([a!.isend('out', 1, 1), a!.irecv(1, 2)], statuses);
    expect(values).toEqual([undefined, ['out', 'back']]);
    expect(statuses[1]).toMatchObject({ source: 1, tag: 2 });
    await echo;
  });

  it('waitany: three irecvs on tags 1, 2, 3 completed in reverse order give indices 2, 1, 0, then UNDEFINED', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.irecv(1, 2), a!.irecv(1, 3)];
    const seen: [number, unknown][] = [];
    for (const tag of [3, 2, 1]) {
      await b!.send(`message ${tag}`, 0, tag);
      await settle();
      const st = new Status();
      const [index, value] = await Request.waitany(reqs, st);
      seen.push([index, value]);
      expect(st.tag).toBe(tag);
    }
    expect(seen).toEqual([[2, 'message 3'], [1, 'message 2'], [0, 'message 1']]);
    expect(await Request.waitany(reqs)).toEqual([UNDEFINED, undefined]);
  });

  it('waitany: completed in index order, each index is returned once', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.irecv(1, 2), a!.irecv(1, 3)];
    for (const tag of [1, 2, 3]) await b!.send(tag, 0, tag);
    await settle();
    const got = [];
    for (let k = 0; k < 3; k++) got.push(await Request.waitany(reqs));
    expect(got).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(await Request.waitany(reqs)).toEqual([UNDEFINED, undefined]);
    expect(await Request.waitsome(reqs)).toEqual([[], []]);
  });

  it('waitany waits for the first to complete when none is yet', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.irecv(1, 2), a!.irecv(1, 3)];
    const any = Request.waitany(reqs);
    setTimeout(() => void b!.send('two', 0, 2), 20);
    expect(await any).toEqual([1, 'two']);
    expect(Request.testany(reqs)).toEqual([UNDEFINED, false, undefined]);
  });

  it('waitany of an empty list is [UNDEFINED, undefined]', async () => {
    expect(await Request.waitany([])).toEqual([UNDEFINED, undefined]);
  });

  it('testall: [false, undefined] until every request completed, then the values', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 4), a!.irecv(1, 5)];
    expect(Request.testall(reqs)).toEqual([false, undefined]);
    await b!.send('four', 0, 4);
    await settle();
    expect(Request.testall(reqs)).toEqual([false, undefined]);
    await b!.send('five', 0, 5);
    await settle();
    expect(Request.testall(reqs)).toEqual([true, ['four', 'five']]);
  });

  it('testany and testsome report what has completed now; waitsome waits for at least one', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.irecv(1, 2), a!.irecv(1, 3)];
    expect(Request.testany(reqs)).toEqual([UNDEFINED, false, undefined]);
    expect(Request.testsome(reqs)).toEqual([[], []]);
    await b!.send('c', 0, 3);
    await b!.send('a', 0, 1);
    await settle();
    expect(Request.testsome(reqs)).toEqual([[0, 2], ['a', 'c']]);
    expect(Request.testsome(reqs)).toEqual([[], []]);
    const some = Request.waitsome(reqs);
    await b!.send('b', 0, 2);
    expect(await some).toEqual([[1], ['b']]);
  });

  it('a completed request from a plain wait() is not returned again by waitany', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.irecv(1, 2)];
    await b!.send('one', 0, 1);
    expect(await reqs[0]!.wait()).toBe('one');
    setTimeout(() => void b!.send('two', 0, 2), 10);
    expect(await Request.waitany(reqs)).toEqual([1, 'two']);
  });

  it('a send request completes; PROC_NULL requests are complete at once', async () => {
    const { comms: [a] } = createInProcessWorld(2);
    const s = a!.isend(new Float64Array(3), 1);
    expect(await s.wait()).toBeUndefined();
    const st = new Status();
    const r = a!.irecv(PROC_NULL, 3);
    expect(r.test(st)).toEqual([true, null]);
    expect(st).toMatchObject({ source: PROC_NULL, tag: ANY_TAG, count: 0 });
    expect(a!.isend('x', PROC_NULL).test()).toEqual([true, undefined]);
  });

  it('cancel(): a pending receive is cancelled, the message goes to the next receive', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const r = a!.irecv(1, 9);
    expect(r.cancel()).toBe(true);
    expect(r.cancel()).toBe(false);
    const st = new Status();
    expect(await r.wait(st)).toBeUndefined();
    expect(st.cancelled).toBe(true);
    await b!.send('kept', 0, 9);
    expect(await a!.recv(1, 9)).toBe('kept');
    const done = a!.irecv(1, 9);
    await b!.send('x', 0, 9);
    await settle();
    expect(done.cancel()).toBe(false);
  });

  it('a failed receive: test() throws, wait() rejects, the status names the error', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const q = a!.Irecv(new Uint8Array(2), 1, 1);
    await b!.Send(new Uint8Array(10), 0, 1);
    await settle();
    expect(q.done).toBe(true);
    expect(() => q.test()).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_TRUNCATE' }));
    const st = new Status();
    await expect(q.wait(st)).rejects.toMatchObject({ code: 'TSMPI_ERR_TRUNCATE' });
    expect(st).toMatchObject({ source: 1, tag: 1, count: 10, error: 'TSMPI_ERR_TRUNCATE' });
  });

  it('waitall rejects with the first failure', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const reqs = [a!.irecv(1, 1), a!.Irecv(new Uint8Array(1), 1, 2)];
    await b!.send('ok', 0, 1);
    await b!.Send(new Uint8Array(2), 0, 2);
    await expect(Request.waitall(reqs)).rejects.toMatchObject({ code: 'TSMPI_ERR_TRUNCATE' });
  });
});
