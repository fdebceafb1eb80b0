/**
 * Two ranks of one job on real sockets, through StreamTransport and a given
 * dialer, for the transport tests (reused-reads, ws-stream): build them, send
 * patterned frames both ways, check every frame arrived intact and in order.
 * Whatever a test opens goes into `cleanup`, which each test file empties in
 * its afterEach.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Encoding, FrameKind, type FrameHeader } from '@tsmpi/runtime';
import { type Dialer, StreamTransport } from '../../dist/transport/stream-transport.js';
import type { Card } from '../../dist/transport/transport.js';

export interface Got { header: FrameHeader; payload: Uint8Array }
export interface Rank { t: StreamTransport; card: Card; frames: Got[]; fatal: Error[] }

/** Closers of what the tests opened, run last-first after each test. */
export const cleanup: (() => unknown)[] = [];
export async function runCleanup(): Promise<void> {
  for (const f of cleanup.splice(0).reverse()) await f();
}

export const header = (src: number, tag: number): FrameHeader => ({ kind: FrameKind.MSG, ctx: 0, src, tag, enc: Encoding.RAW, depth: 0 });

export function pattern(n: number, seed: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return p;
}

/** Ranks 0 and 1, listening, each knowing the other's card; `dialer(rank)` makes each one's dialer. */
export async function twoRanks(dialer: (rank: number) => Dialer, secret = randomBytes(32)): Promise<Rank[]> {
  const ranks: Rank[] = [];
  for (const rank of [0, 1]) {
    const frames: Got[] = [], fatal: Error[] = [];
    const t = new StreamTransport({
      rank, size: 2, secret, maxPayload: 1 << 30, dialer: dialer(rank),
      events: { onFrame: (h, p) => frames.push({ header: h, payload: p as Uint8Array }), onFatal: (e) => fatal.push(e) },
    });
    const card = await t.listen();
    cleanup.push(() => t.close());
    ranks.push({ t, card, frames, fatal });
  }
  for (const r of ranks) r.t.setPeers(ranks.map((x) => x.card));
  return ranks;
}

export async function until(test: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Frames of `sizes` from rank 0 (which dials) to rank 1, then back on the
 * connection rank 1 accepted, so both sides' reads and writes are exercised;
 * every one arrives intact, in order, and nothing is fatal.
 */
export async function exchange(ranks: Rank[], sizes: number[]): Promise<void> {
  const [a, b] = ranks as [Rank, Rank];
  const sends = (from: Rank, to: number, seed: number) => sizes.map((n, i) => from.t.send(to, header(from === a ? 0 : 1, i), [pattern(n, seed + i)], n));
  await Promise.all(sends(a, 1, 0));
  await until(() => b.frames.length === sizes.length, 'rank 1 to receive');
  await Promise.all(sends(b, 0, 100));
  await until(() => a.frames.length === sizes.length, 'rank 0 to receive');
  for (const [r, seed, src] of [[b, 0, 0], [a, 100, 1]] as const) {
    expect(r.fatal).toEqual([]);
    r.frames.forEach((f, i) => {
      expect(f.header).toEqual(header(src, i));
      expect(Buffer.from(f.payload).equals(pattern(sizes[i]!, seed + i))).toBe(true);
    });
  }
}
