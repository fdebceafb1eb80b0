/**
 * MPI matching for one context: posted receives and unexpected messages, both
 * in order. An arriving message goes to the earliest posted receive it
 * matches, else joins the unexpected queue; a new receive takes the earliest
 * unexpected message it matches. Arrival order per sender is send order, so
 * this gives non-overtaking and earliest-match wildcards.
 */
import { ANY_SOURCE, ANY_TAG } from '../constants.js';
import type { Message } from './message.js';
import type { Bytes } from '../codec/bytes.js';

export interface Posted {
  source: number;
  tag: number;
  deliver(m: Message): void;
  /** When it was posted (performance.now()), for the wait report. */
  since: number;
  /**
   * Where this receive wants a message of `byteLength` bytes in encoding `enc`
   * written, if it would copy the bytes there unchanged (a Recv into a buffer):
   * the message is then received straight into it (see Matcher.claim).
   */
  into?(byteLength: number, enc: number): Bytes | undefined;
}

export interface Probe {
  source: number;
  tag: number;
  found(m: Message): void;
  since: number;
}

export const matches = (m: Message, source: number, tag: number): boolean =>
  (source === ANY_SOURCE || source === m.src) && (tag === ANY_TAG ? m.tag >= 0 : tag === m.tag);

export class Matcher {
  private unexpected: Message[] = [];
  private posted: Posted[] = [];
  private probes: Probe[] = [];

  arrive(m: Message): void {
    for (let i = 0; i < this.posted.length; i++) {
      const p = this.posted[i]!;
      if (matches(m, p.source, p.tag)) {
        // Mostly the first (a receive posted ahead of its message): shift() is cheaper than splice().
        if (i === 0) this.posted.shift(); else this.posted.splice(i, 1);
        p.deliver(m);
        return;
      }
    }
    this.unexpected.push(m);
    if (this.probes.length) {
      const waiting = this.probes;
      this.probes = [];
      for (const p of waiting) {
        if (matches(m, p.source, p.tag)) p.found(m); else this.probes.push(p);
      }
    }
  }

  /**
   * Match a message whose header has arrived but whose payload has not. When
   * the receive it would go to takes its bytes in place (`into`), that receive
   * is taken now and the payload is written straight into its buffer. Matching
   * at the header keeps MPI order: every earlier message from the same sender
   * has already arrived (one connection per pair), and messages of other
   * senders may be matched in either order.
   */
  claim(src: number, tag: number, byteLength: number, enc: number): { posted: Posted; bytes: Bytes } | undefined {
    for (let i = 0; i < this.posted.length; i++) {
      const p = this.posted[i]!;
      if ((p.source === ANY_SOURCE || p.source === src) && (p.tag === ANY_TAG ? tag >= 0 : p.tag === tag)) {
        const bytes = p.into?.(byteLength, enc);
        if (!bytes) return undefined;
        this.posted.splice(i, 1);
        return { posted: p, bytes };
      }
    }
    return undefined;
  }

  /** Match now or queue the receive. Returns a cancel function (false if already matched). */
  post(p: Posted): () => boolean {
    if (this.match(p)) return () => false;
    return () => this.cancel(p);
  }

  /** Match now (true: delivered) or queue the receive (false); no cancel function to allocate. */
  match(p: Posted): boolean {
    const i = this.find(p.source, p.tag);
    if (i >= 0) {
      // Mostly the first: shift() makes no array, as splice() does.
      const m = i === 0 ? this.unexpected.shift()! : this.unexpected.splice(i, 1)[0]!;
      p.deliver(m);
      return true;
    }
    this.posted.push(p);
    return false;
  }

  /** Remove a queued receive; false if it is not queued (already matched or cancelled). */
  cancel(p: Posted): boolean {
    const j = this.posted.indexOf(p);
    if (j < 0) return false;
    this.posted.splice(j, 1);
    return true;
  }

  peek(source: number, tag: number): Message | undefined {
    const i = this.find(source, tag);
    return i >= 0 ? this.unexpected[i] : undefined;
  }

  probe(p: Probe): void {
    const m = this.peek(p.source, p.tag);
    if (m) p.found(m); else this.probes.push(p);
  }

  get idle(): boolean { return this.posted.length === 0 && this.probes.length === 0; }
  /** Receives and probes still waiting (for the timeout report). */
  waiting(): { source: number; tag: number; kind: 'recv' | 'probe'; since: number }[] {
    return [
      ...this.posted.map((p) => ({ source: p.source, tag: p.tag, kind: 'recv' as const, since: p.since })),
      ...this.probes.map((p) => ({ source: p.source, tag: p.tag, kind: 'probe' as const, since: p.since })),
    ];
  }

  private find(source: number, tag: number): number {
    const q = this.unexpected;
    for (let i = 0; i < q.length; i++) if (matches(q[i]!, source, tag)) return i;
    return -1;
  }
}
