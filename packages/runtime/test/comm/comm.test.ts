/**
 * The point-to-point communicator above the transport, on an in-process
 * world: argument errors with stable codes, PROC_NULL, self-sends, status,
 * probe, the buffer family and truncation. The same rules run through real
 * processes in test/p2p.
 */
import { describe, expect, it } from 'vitest';
import {
  ANY_SOURCE, ANY_TAG, checkTag, createInProcessWorld, PROC_NULL, Status, TAG_UB, TsmpiError,
} from '@tsmpi/runtime';
import { difference } from '../../../../test/programs/p2p-values.js';

const settle = () => new Promise<void>((r) => setImmediate(r));

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  let err: unknown;
  try { await p; } catch (e) { err = e; }
  expect(TsmpiError.is(err), `expected a TsmpiError ${code}, got ${String(err)}`).toBe(true);
  expect((err as TsmpiError).code).toBe(code);
  if (message) expect((err as TsmpiError).message).toMatch(message);
}

function throwsWith(fn: () => unknown, code: string): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  expect(TsmpiError.is(err), `expected a TsmpiError ${code}, got ${String(err)}`).toBe(true);
  expect((err as TsmpiError).code).toBe(code);
}

describe('Comm: argument errors', () => {
  const { comms: [c] } = createInProcessWorld(3);
  const comm = c!;

  for (const dest of [3, 4, -3, 1.5, NaN, ANY_SOURCE, Infinity]) {
    it(`destination ${dest} → TSMPI_ERR_RANK`, async () => {
      await rejectsWith(comm.send('x', dest), 'TSMPI_ERR_RANK', /0\.\.2/);
      await rejectsWith(comm.Send(new Uint8Array(1), dest), 'TSMPI_ERR_RANK');
      throwsWith(() => comm.isend('x', dest), 'TSMPI_ERR_RANK');
    });
  }
  it('a destination that is not a number → TSMPI_ERR_RANK', async () => {
    await rejectsWith(comm.send('x', '1' as unknown as number), 'TSMPI_ERR_RANK');
  });
  for (const source of [3, -3, 0.5]) {
    it(`source ${source} → TSMPI_ERR_RANK`, async () => {
      await rejectsWith(comm.recv(source), 'TSMPI_ERR_RANK');
      await rejectsWith(comm.Recv(new Uint8Array(1), source), 'TSMPI_ERR_RANK');
      await rejectsWith(comm.probe(source), 'TSMPI_ERR_RANK');
      throwsWith(() => comm.iprobe(source), 'TSMPI_ERR_RANK');
      throwsWith(() => comm.irecv(source), 'TSMPI_ERR_RANK');
    });
  }
  for (const tag of [-1, -5, 1.5, NaN, TAG_UB + 1, Infinity]) {
    it(`send tag ${tag} → TSMPI_ERR_TAG`, async () => {
      await rejectsWith(comm.send('x', 1, tag), 'TSMPI_ERR_TAG', /tag/);
      throwsWith(() => comm.isend('x', 1, tag), 'TSMPI_ERR_TAG');
    });
  }
  for (const tag of [-2, -5, 2.5, TAG_UB + 1]) {
    it(`receive tag ${tag} → TSMPI_ERR_TAG`, async () => {
      await rejectsWith(comm.recv(1, tag), 'TSMPI_ERR_TAG', /ANY_TAG/);
      throwsWith(() => comm.iprobe(1, tag), 'TSMPI_ERR_TAG');
    });
  }
  it('TAG_UB itself and 0 are valid tags; ANY_TAG is valid only to receive', () => {
    expect(checkTag(0, false)).toBe(0);
    expect(checkTag(TAG_UB, false)).toBe(TAG_UB);
    expect(checkTag(ANY_TAG, true)).toBe(ANY_TAG);
    throwsWith(() => checkTag(ANY_TAG, false), 'TSMPI_ERR_TAG');
  });
  it('a value that cannot travel → TSMPI_ERR_VALUE (rejected, nothing sent)', async () => {
    await rejectsWith(comm.send({ f: () => 1 }, 1), 'TSMPI_ERR_VALUE');
  });
  it('a buffer-family call with something that is not a buffer → TSMPI_ERR_BUFFER', async () => {
    await rejectsWith(comm.Send([1, 2, 3] as unknown as Uint8Array, 1), 'TSMPI_ERR_BUFFER', /typed array/);
    await rejectsWith(comm.Recv(new DataView(new ArrayBuffer(8)) as unknown as Uint8Array, 1), 'TSMPI_ERR_BUFFER');
  });
  it('errors are TsmpiError instances with name, code and a message that says what to do', async () => {
    let err: unknown;
    try { await comm.send(1, 7); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TsmpiError);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TsmpiError');
    expect((err as Error).message).toMatch(/ranks of this communicator are 0\.\.2/);
  });
});

describe('Comm: point to point in process', () => {
  it('every kind of value arrives identical, in order, with its status', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    const values = [null, undefined, -0, NaN, 2n ** 70n, 'é', [1, , 3], new Map([[1, 2]]), new Set([1]), new Date(5),
      Buffer.from('b'), new Uint8Array([1]), new BigInt64Array([-1n]), new Uint8ClampedArray([255]), new ArrayBuffer(3)];
    for (const v of values) void a!.send(v, 1, 3);
    for (const v of values) {
      const st = new Status();
      const got = await b!.recv(0, 3, st);
      const d = difference(v, got);
      if (d) expect.fail(d);
      expect(st).toMatchObject({ source: 0, tag: 3 });
    }
  });

  it('self-sends: blocking, non-blocking, receive posted first, and in order', async () => {
    const { comms: [c] } = createInProcessWorld(2);
    const me = c!;
    await me.send('self', 0, 1);
    expect(await me.recv(0, 1)).toBe('self');
    const q = me.irecv(0, 2);
    expect(q.test()).toEqual([false, undefined]);
    await me.isend({ n: 2 }, 0, 2).wait();
    expect(await q.wait()).toEqual({ n: 2 });
    for (let i = 0; i < 100; i++) void me.isend(i, 0, 3);
    for (let i = 0; i < 100; i++) expect(await me.recv(ANY_SOURCE, 3)).toBe(i);
    const buf = new Float64Array(2);
    await me.Send(new Float64Array([1.5, -0]), 0, 4);
    await me.Recv(buf, 0, 4);
    expect(Object.is(buf[1], -0)).toBe(true);
    expect(await me.sendrecv('ring of one', 0, 5, 0, 5)).toBe('ring of one');
  });

  it('a communicator converts to a primitive as any object does (no method shadows valueOf or toString)', () => {
    const { comms: [c] } = createInProcessWorld(2);
    expect(Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(c), 'valueOf')).toBe(false);
    expect(`${c!}` + c!).toBe('[object Object][object Object]');
  });

  it('PROC_NULL: sends are no-ops, receives give null and leave buffers alone', async () => {
    const { comms: [c] } = createInProcessWorld(2);
    const comm = c!;
    await comm.send('lost', PROC_NULL, 1);
    const st = new Status();
    expect(await comm.recv(PROC_NULL, 1, st)).toBeNull();
    expect(st).toMatchObject({ source: PROC_NULL, tag: ANY_TAG, count: 0 });
    const buf = new Int32Array([7, 7]);
    await comm.Recv(buf, PROC_NULL);
    expect([...buf]).toEqual([7, 7]);
    await comm.Send(buf, PROC_NULL);
    expect(await comm.sendrecv('x', PROC_NULL, 0, PROC_NULL, 0)).toBeNull();
    expect((await comm.probe(PROC_NULL)).source).toBe(PROC_NULL);
    expect(comm.iprobe(PROC_NULL)).toBe(true);
    await settle();
    expect(comm.iprobe(ANY_SOURCE, ANY_TAG)).toBe(false);
  });

  it('probe and iprobe look without receiving', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    expect(b!.iprobe(0, 8)).toBe(false);
    const probed = b!.probe(0, 8);
    await a!.Send(new Float32Array(5), 1, 8);
    const st = await probed;
    expect(st).toMatchObject({ source: 0, tag: 8, count: 20 });
    const st2 = new Status();
    expect(b!.iprobe(ANY_SOURCE, ANY_TAG, st2)).toBe(true);
    expect(st2).toMatchObject({ source: 0, tag: 8, count: 20 });
    expect(b!.iprobe(0, 9)).toBe(false);
    const v = await b!.recv(0, 8);
    expect(v).toBeInstanceOf(Float32Array);
    expect(b!.iprobe(0, 8)).toBe(false);
  });

  it('Recv into a too-small buffer → TSMPI_ERR_TRUNCATE; the message is consumed and the next one delivered', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    await a!.Send(new Float64Array([1, 2, 3, 4]), 1, 6);
    await a!.Send(new Float64Array([5, 6]), 1, 6);
    const small = new Float64Array(3);
    const st = new Status();
    await rejectsWith(b!.Recv(small, 0, 6, st), 'TSMPI_ERR_TRUNCATE', /32 bytes.*24 bytes/);
    expect(st).toMatchObject({ source: 0, tag: 6, count: 32, error: 'TSMPI_ERR_TRUNCATE' });
    expect([...small]).toEqual([0, 0, 0]);
    const st2 = await b!.Recv(small, 0, 6);
    expect(st2.count).toBe(16);
    expect(st2.error).toBeUndefined();
    expect([...small]).toEqual([5, 6, 0]);
  });

  it('Recv takes the bytes of any binary message, into any kind or a view at an offset', async () => {
    const { comms: [a, b] } = createInProcessWorld(2);
    await a!.send(new Int16Array([1, -1]), 1); // lower-case send of a typed array
    const into = new Uint8Array(6).fill(9);
    const st = await b!.Recv(into.subarray(1, 5), 0);
    expect(st.count).toBe(4);
    expect([...into]).toEqual([9, 1, 0, 255, 255, 9]);
    await a!.send({ not: 'a buffer' }, 1);
    await rejectsWith(b!.Recv(new Uint8Array(100), 0), 'TSMPI_ERR_BUFFER', /recv\(\)/);
  });

  it('a freed communicator refuses calls with TSMPI_ERR_STATE', async () => {
    const { comms: [c] } = createInProcessWorld(2);
    c!.free();
    await rejectsWith(c!.send(1, 1), 'TSMPI_ERR_STATE');
    throwsWith(() => c!.iprobe(), 'TSMPI_ERR_STATE');
  });

  it('rank and size, also in mpi4py spelling', () => {
    const { comms } = createInProcessWorld(4);
    comms.forEach((c, i) => {
      expect(c.rank).toBe(i);
      expect(c.Get_rank()).toBe(i);
      expect(c.size).toBe(4);
      expect(c.Get_size()).toBe(4);
    });
  });
});
