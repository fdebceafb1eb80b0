/**
 * The polling wait: it keeps the event loop turning while a wait is pending,
 * stops when the wait ends or its budget runs out, and after waits that ran
 * out it sleeps through more and more of the next ones (a busy host then sees
 * almost no polling). Real setImmediate turns, no fake timers.
 */
import { describe, expect, it } from 'vitest';
import { Engine, FrameKind, PollWait, shouldPoll } from '@tsmpi/runtime';

const turns = (n: number) => new Promise<void>((resolve) => {
  const step = (k: number) => (k === 0 ? resolve() : setImmediate(() => step(k - 1)));
  step(n);
});
const until = async (cond: () => boolean) => { while (!cond()) await turns(1); };

describe('PollWait', () => {
  it('polls while a wait is pending and stops when it ends (a hit)', async () => {
    const p = new PollWait(10_000_000);
    p.begin();
    expect(p.polling).toBe(true);
    await turns(20);
    expect(p.polling).toBe(true);
    p.end();
    await until(() => !p.polling);
    expect(p.counts).toEqual({ polled: 1, hits: 1, misses: 0 });
  });

  it('stops after its budget (a miss), then sleeps through 1, 2, 4... waits', async () => {
    const p = new PollWait(0.001);
    const missOnce = async () => {
      p.begin();
      await until(() => !p.polling);
      p.end();
    };
    await missOnce();
    expect(p.counts).toEqual({ polled: 1, hits: 0, misses: 1 });
    // Skipped: no poll for the next wait.
    p.begin(); expect(p.polling).toBe(false); p.end();
    await missOnce();
    expect(p.counts.misses).toBe(2);
    // Now two waits are slept through.
    for (let i = 0; i < 2; i++) { p.begin(); expect(p.polling).toBe(false); p.end(); }
    await missOnce();
    expect(p.counts).toEqual({ polled: 3, hits: 0, misses: 3 });
  });

  it('a hit resets the back-off', async () => {
    const p = new PollWait(0.001);
    p.begin(); await until(() => !p.polling); p.end(); // miss: skip 1
    p.begin(); p.end(); // skipped
    const q = p as unknown as { budgetMs: number };
    q.budgetMs = 10_000; // long enough now to be a hit
    p.begin(); p.end(); await until(() => !p.polling);
    expect(p.counts).toEqual({ polled: 2, hits: 1, misses: 1 });
    q.budgetMs = 0.000001;
    p.begin(); await until(() => !p.polling); p.end(); // miss again: skip only 1, not 2
    p.begin(); expect(p.polling).toBe(false); p.end();
    p.begin(); expect(p.polling).toBe(true); p.end();
    await until(() => !p.polling);
  });

  it('a wait posted while polling extends the poll', async () => {
    const p = new PollWait(10_000_000);
    p.begin(); p.begin();
    p.end();
    await turns(5);
    expect(p.polling).toBe(true);
    p.end();
    await until(() => !p.polling);
    expect(p.counts).toEqual({ polled: 1, hits: 2, misses: 0 });
  });

  it('in a tight exchange (each wait begins before the spin stops) a wait that ends resets the back-off', async () => {
    const p = new PollWait(0.001);
    p.begin(); await until(() => !p.polling); p.end(); // miss: skip 1, then 2
    p.begin(); p.end(); // skipped
    const q = p as unknown as { budgetMs: number };
    q.budgetMs = 10_000;
    p.begin(); // polls
    for (let i = 0; i < 5; i++) { p.end(); p.begin(); await turns(2); } // waits that end while polling, back to back
    expect(p.polling).toBe(true);
    q.budgetMs = 0.000001;
    p.end(); p.begin(); await until(() => !p.polling); p.end(); // a miss after hits: skip 1 again, not 2
    p.begin(); expect(p.polling).toBe(false); p.end();
    p.begin(); expect(p.polling).toBe(true); p.end();
    await until(() => !p.polling);
    expect(p.counts).toEqual({ polled: 3, hits: 7, misses: 2 });
  });
});

describe('the engine and its polling wait', () => {
  // A 10 s budget: a wait the engine began and never ended keeps the spin going, and the test fails.
  const engine = () => { const e = new Engine(0, 2, 2); e.poll = new PollWait(10_000_000); return e; };
  const arrive = (e: Engine, tag: number) => e.onFrame({ kind: FrameKind.MSG, ctx: 0, src: 1, tag, enc: 0, depth: 0 }, new Uint8Array(0));

  it('a queued receive begins a wait and its match ends it; one matched at once begins none', async () => {
    const e = engine();
    e.receive(0, 1, 5, () => {});
    expect(e.poll!.polling).toBe(true);
    arrive(e, 5);
    await until(() => !e.poll!.polling);
    arrive(e, 6);
    e.receive(0, 1, 6, () => {});
    expect(e.poll!.polling).toBe(false);
    expect(e.poll!.counts).toEqual({ polled: 1, hits: 1, misses: 0 });
  });

  it('a cancelled receive and a probe end their waits', async () => {
    const e = engine();
    const cancel = e.post(0, 1, 7, () => {});
    const probed = e.probe(0, 1, 8);
    expect(e.poll!.polling).toBe(true);
    expect(cancel()).toBe(true);
    arrive(e, 8);
    await probed;
    await until(() => !e.poll!.polling);
    expect(e.poll!.counts).toEqual({ polled: 1, hits: 2, misses: 0 });
  });
});

describe('shouldPoll', () => {
  it('auto polls only while the host has a core per rank', () => {
    expect(shouldPoll('auto', 2, 1000, 2)).toBe(true);
    expect(shouldPoll('auto', 3, 1000, 2)).toBe(false);
    expect(shouldPoll('auto', 1, 1000, 8)).toBe(true);
  });
  it('poll and block are obeyed, and a zero budget never polls', () => {
    expect(shouldPoll('poll', 16, 1000, 2)).toBe(true);
    expect(shouldPoll('block', 1, 1000, 8)).toBe(false);
    expect(shouldPoll('poll', 2, 0, 8)).toBe(false);
  });
});
