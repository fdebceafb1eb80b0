/** Future: awaitable, cancellable, callbacks, and never an unhandled rejection by itself. */
import { describe, expect, it } from 'vitest';
import { asCompleted, Future } from '@tsmpi/pool';

const tick = () => new Promise((r) => setImmediate(r));

describe('Future', () => {
  it('resolves like a promise and reports its state', async () => {
    const f = new Future<number>();
    expect([f.done(), f.running(), f.cancelled()]).toEqual([false, false, false]);
    f.setRunning();
    expect(f.running()).toBe(true);
    f.resolve(42);
    expect([f.done(), f.running()]).toEqual([true, false]);
    expect(await f).toBe(42);
    expect(await f.result()).toBe(42);
    expect(await f.then((v) => v + 1)).toBe(43);
    expect(await f.exception()).toBeUndefined();
    expect(String(f)).toBe('[object Future]');
  });

  it('rejects with the error, and exception() returns it', async () => {
    const f = new Future<number>();
    const err = new Error('x');
    f.reject(err);
    await expect(f.result()).rejects.toBe(err);
    expect(await f.exception()).toBe(err);
    expect(await f.catch((e) => e)).toBe(err);
    let fin = false;
    await f.finally(() => { fin = true; }).catch(() => {});
    expect(fin).toBe(true);
  });

  it('a failed future nobody awaits is not an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (e: unknown) => seen.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      new Future().reject(new Error('ignored'));
      const c = new Future();
      c.cancel();
      await tick();
      await tick();
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('cancels while pending only, and then rejects with TSMPI_ERR_STATE', async () => {
    const f = new Future<number>();
    expect(f.cancel()).toBe(true);
    expect(f.cancel()).toBe(true);
    expect([f.cancelled(), f.done()]).toEqual([true, true]);
    await expect(f.result()).rejects.toMatchObject({ code: 'TSMPI_ERR_STATE', message: expect.stringMatching(/cancelled/) });
    await expect(f.exception()).rejects.toMatchObject({ code: 'TSMPI_ERR_STATE' });
    const r = new Future<number>();
    r.setRunning();
    expect(r.cancel()).toBe(false);
    r.resolve(1);
    expect(r.cancel()).toBe(false);
    expect(await r).toBe(1);
    const w = new Future<number>();
    w.withdraw = () => false;
    expect(w.cancel()).toBe(false);
  });

  it('calls done callbacks once, after the fact too, and a throwing callback does not stop the others', async () => {
    const f = new Future<number>();
    const calls: string[] = [];
    f.addDoneCallback(() => calls.push('a'));
    f.addDoneCallback(() => { throw new Error('callback bug'); });
    f.addDoneCallback((g) => calls.push(g === f ? 'b' : 'wrong'));
    const thrown: unknown[] = [];
    const onUncaught = (e: unknown) => thrown.push(e);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      f.resolve(1);
      expect(calls).toEqual(['a', 'b']);
      f.addDoneCallback(() => calls.push('late'));
      expect(calls).toEqual(['a', 'b']);
      await tick();
      expect(calls).toEqual(['a', 'b', 'late']);
      expect(thrown).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const l of listeners) process.on('uncaughtException', l);
    }
  });

  it('asCompleted yields the futures in completion order, typed as futures', async () => {
    const fs = [new Future<number>(), new Future<number>(), new Future<number>()];
    fs[2]!.resolve(2);
    setTimeout(() => fs[0]!.reject(new Error('zero')), 20);
    setTimeout(() => fs[1]!.resolve(1), 5);
    const order: number[] = [];
    for await (const f of asCompleted(fs)) {
      expect(f.done()).toBe(true);
      order.push(fs.indexOf(f.future));
    }
    expect(order).toEqual([2, 1, 0]);
    const it = asCompleted([new Future<number>()]);
    expect(await it.return!()).toEqual({ value: undefined, done: true });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    const empty: unknown[] = [];
    for await (const f of asCompleted([])) empty.push(f);
    expect(empty).toEqual([]);
  });
});
