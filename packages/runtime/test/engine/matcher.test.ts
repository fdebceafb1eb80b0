/**
 * MPI matching on one context: messages from one sender are taken in the
 * order they arrived (non-overtaking), an arriving message goes to the
 * earliest posted receive that matches, a receive takes the earliest queued
 * message that matches, and wildcards never match internal (negative) tags.
 */
import { describe, expect, it } from 'vitest';
import { ANY_SOURCE, ANY_TAG, type Bytes, Engine, FrameKind, TsmpiError } from '@tsmpi/runtime';

type Matcher = ReturnType<Engine['matcher']>;
interface Msg { src: number; tag: number; enc: number; payload: Bytes; depth: number }

let seq = 0;
const msg = (src: number, tag: number): Msg => ({ src, tag, enc: 0, payload: new Uint8Array([seq++ & 0xff]), depth: 0 });
const matcher = (): Matcher => new Engine(0, 8, 2).matcher(0);

/** Post a receive that records what it got. */
function recv(m: Matcher, source: number, tag: number) {
  const got: Msg[] = [];
  const cancel = m.post({ source, tag, since: 0, deliver: (x) => { got.push(x); } });
  return { got, cancel };
}

describe('Matcher.claim: a large message taken by its receive when its header arrives', () => {
  const into = (buf: Uint8Array) => (n: number) => (n <= buf.byteLength ? buf.subarray(0, n) : undefined);

  it('the earliest matching receive takes it in place when it offers a buffer, and leaves the queue', () => {
    const m = matcher();
    const buf = new Uint8Array(100);
    const other = recv(m, 2, 5);
    const got: Msg[] = [];
    m.post({ source: ANY_SOURCE, tag: 5, since: 0, deliver: (x) => { got.push(x); }, into: into(buf) });
    const later = recv(m, 1, 5);
    const c = m.claim(1, 5, 80, 9);
    expect(c?.bytes.byteLength).toBe(80);
    expect(c?.bytes.buffer).toBe(buf.buffer);
    // It is no longer waiting: the next message from rank 1 goes to the next receive.
    const x = msg(1, 5);
    m.arrive(x);
    expect(later.got).toEqual([x]);
    expect(other.got).toEqual([]);
    expect(got).toEqual([]); // delivered by the engine once the payload is in
  });

  it('no claim when the earliest matching receive offers no buffer (even if a later one does), or the message does not fit', () => {
    const m = matcher();
    recv(m, 1, ANY_TAG);
    m.post({ source: 1, tag: 5, since: 0, deliver: () => {}, into: into(new Uint8Array(100)) });
    expect(m.claim(1, 5, 10, 9)).toBeUndefined();
    const m2 = matcher();
    m2.post({ source: 1, tag: 5, since: 0, deliver: () => {}, into: into(new Uint8Array(10)) });
    expect(m2.claim(1, 5, 11, 9)).toBeUndefined();
    expect(m2.waiting()).toHaveLength(1);
  });

  it('no claim without a matching receive, and wildcards never take internal tags', () => {
    const m = matcher();
    m.post({ source: ANY_SOURCE, tag: ANY_TAG, since: 0, deliver: () => {}, into: into(new Uint8Array(100)) });
    expect(m.claim(1, -3, 10, 9)).toBeUndefined();
    expect(m.claim(1, 4, 10, 9)).toBeDefined();
    expect(m.claim(1, 4, 10, 9)).toBeUndefined();
  });
});

describe('Matcher', () => {
  it('queues messages that arrive before their receive, and hands them over in arrival order', () => {
    const m = matcher();
    const sent = [msg(1, 5), msg(1, 5), msg(1, 5)];
    for (const s of sent) m.arrive(s);
    for (const s of sent) expect(recv(m, 1, 5).got).toEqual([s]);
  });

  it('an arrival goes to the earliest posted receive that matches', () => {
    const m = matcher();
    const a = recv(m, 2, ANY_TAG);
    const b = recv(m, ANY_SOURCE, 5);
    const c = recv(m, 1, 5);
    const x = msg(1, 5);
    m.arrive(x);
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([x]);
    expect(c.got).toEqual([]);
    const y = msg(1, 5);
    m.arrive(y);
    expect(c.got).toEqual([y]);
  });

  it('wildcards take the earliest queued message that matches', () => {
    const m = matcher();
    const q = [msg(2, 3), msg(1, 5), msg(1, 3), msg(3, 9)];
    for (const x of q) m.arrive(x);
    expect(recv(m, ANY_SOURCE, 3).got).toEqual([q[0]]);
    expect(recv(m, 1, ANY_TAG).got).toEqual([q[1]]);
    expect(recv(m, ANY_SOURCE, ANY_TAG).got).toEqual([q[2]]);
    expect(recv(m, ANY_SOURCE, ANY_TAG).got).toEqual([q[3]]);
    expect(recv(m, ANY_SOURCE, ANY_TAG).got).toEqual([]);
  });

  it('a specific receive skips non-matching messages without reordering them', () => {
    const m = matcher();
    const q = [msg(1, 1), msg(1, 2), msg(1, 1), msg(2, 2)];
    for (const x of q) m.arrive(x);
    expect(recv(m, 2, 2).got).toEqual([q[3]]);
    expect(recv(m, 1, 2).got).toEqual([q[1]]);
    expect(recv(m, 1, ANY_TAG).got).toEqual([q[0]]);
    expect(recv(m, 1, ANY_TAG).got).toEqual([q[2]]);
  });

  it('ANY_TAG does not match internal (negative) tags; an exact receive does', () => {
    const m = matcher();
    const internal = msg(1, -7);
    m.arrive(internal);
    expect(recv(m, ANY_SOURCE, ANY_TAG).got).toEqual([]);
    expect(m.peek(1, ANY_TAG)).toBeUndefined();
    const exact = recv(m, 1, -7);
    expect(exact.got).toEqual([internal]);
  });

  it('cancel removes a posted receive; after a match it reports false', () => {
    const m = matcher();
    const a = recv(m, 1, 1);
    expect(a.cancel()).toBe(true);
    expect(a.cancel()).toBe(false);
    const x = msg(1, 1);
    m.arrive(x);
    expect(a.got).toEqual([]);
    const b = recv(m, 1, 1);
    expect(b.got).toEqual([x]);
    expect(b.cancel()).toBe(false);
  });

  it('peek and probe look without taking; a waiting probe fires on arrival', () => {
    const m = matcher();
    const found: Msg[] = [];
    m.probe({ source: 2, tag: ANY_TAG, since: 0, found: (x) => { found.push(x); } });
    m.probe({ source: 1, tag: 4, since: 0, found: (x) => { found.push(x); } });
    expect(m.waiting().map(({ source, tag, kind }) => ({ source, tag, kind }))).toEqual([
      { source: 2, tag: ANY_TAG, kind: 'probe' },
      { source: 1, tag: 4, kind: 'probe' },
    ]);
    const x = msg(1, 4);
    m.arrive(x);
    expect(found).toEqual([x]);
    expect(m.peek(1, 4)).toBe(x);
    expect(m.peek(ANY_SOURCE, ANY_TAG)).toBe(x);
    m.probe({ source: ANY_SOURCE, tag: 4, since: 0, found: (y) => { found.push(y); } });
    expect(found).toEqual([x, x]);
    expect(recv(m, 1, 4).got).toEqual([x]);
    expect(m.peek(1, 4)).toBeUndefined();
    expect(m.idle).toBe(false); // the probe on source 2 still waits
  });

  it('reports what is waiting and becomes idle when nothing is', () => {
    const m = matcher();
    expect(m.idle).toBe(true);
    const r = recv(m, 3, 8);
    expect(m.waiting()).toMatchObject([{ source: 3, tag: 8, kind: 'recv' }]);
    m.arrive(msg(3, 8));
    expect(r.got).toHaveLength(1);
    expect(m.idle).toBe(true);
  });

  it('non-overtaking holds per sender under interleaving of many senders and wildcard receives', () => {
    const m = matcher();
    const order: Record<number, number[]> = {};
    let n = 0;
    const got: Msg[] = [];
    for (let i = 0; i < 2000; i++) {
      const src = (i * 7) % 5;
      if (i % 3 === 0) m.post({ source: ANY_SOURCE, tag: 1, since: 0, deliver: (x) => { got.push(x); } });
      m.arrive({ src, tag: 1, enc: 0, payload: new Uint8Array(0), depth: n++ });
      (order[src] ??= []).push(n - 1);
    }
    while (got.length < 2000) m.post({ source: ANY_SOURCE, tag: 1, since: 0, deliver: (x) => { got.push(x); } });
    for (let src = 0; src < 5; src++) expect(got.filter((x) => x.src === src).map((x) => x.depth)).toEqual(order[src]);
  });
});

describe('Engine', () => {
  it('contexts do not cross-match', () => {
    const e = new Engine(0, 2, 2);
    const got: number[] = [];
    e.post(1, ANY_SOURCE, ANY_TAG, (m) => got.push(m.tag));
    e.onFrame({ kind: FrameKind.MSG, ctx: 0, src: 1, tag: 5, enc: 0, depth: 0 }, new Uint8Array(0));
    expect(got).toEqual([]);
    e.onFrame({ kind: FrameKind.MSG, ctx: 1, src: 1, tag: 6, enc: 0, depth: 0 }, new Uint8Array(0));
    expect(got).toEqual([6]);
    expect(e.peek(0, 1, 5)?.tag).toBe(5);
  });

  it('a frame from a rank outside the job is fatal (TSMPI_ERR_PROTOCOL)', () => {
    const e = new Engine(0, 2, 2);
    const errors: unknown[] = [];
    e.fatalHandler = (err) => errors.push(err);
    e.onFrame({ kind: FrameKind.MSG, ctx: 0, src: 2, tag: 0, enc: 0, depth: 0 }, new Uint8Array(0));
    e.onFrame({ kind: FrameKind.MSG, ctx: 0, src: -1, tag: 0, enc: 0, depth: 0 }, new Uint8Array(0));
    expect(errors).toHaveLength(1); // reported once
    expect(TsmpiError.is(errors[0]) && (errors[0] as TsmpiError).code).toBe('TSMPI_ERR_PROTOCOL');
  });

  it('a send to itself arrives asynchronously, as a copy, with the logical clock advanced on receipt', async () => {
    const e = new Engine(0, 1, 2);
    const part = new Uint8Array([1, 2, 3]);
    await e.send(0, 0, 4, 0, [part, new Uint8Array([4])], 4);
    part[0] = 99;
    const got: Msg[] = [];
    e.post(0, 0, 4, (m) => got.push(m));
    expect(got).toHaveLength(1);
    expect([...(got[0]!.payload as Uint8Array)]).toEqual([1, 2, 3, 4]);
    expect(e.clock).toBe(1);
  });

  it('a send without a transport fails with TSMPI_ERR_INTERNAL', async () => {
    const e = new Engine(0, 2, 2);
    await expect(e.send(0, 1, 0, 0, [], 0)).rejects.toMatchObject({ code: 'TSMPI_ERR_INTERNAL' });
  });
});
