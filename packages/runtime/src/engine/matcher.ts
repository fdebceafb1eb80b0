/**
 * MPI matching for one context: posted receives and unexpected messages, both
 * in order. An arriving message goes to the earliest posted receive it
 * matches, else joins the unexpected queue; a new receive takes the earliest
 * unexpected message it matches. Arrival order per sender is send order, so
 * this gives non-overtaking and earliest-match wildcards.
 */
import { ANY_SOURCE, ANY_TAG } from '../constants.js';
import type { Message } from './message.js';

export interface Posted {
  source: number;
  tag: number;
  deliver(m: Message): void;
  /** When it was posted (performance.now()), for the wait report. */
  since: number;
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
        this.posted.splice(i, 1);
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

  /** Match now or queue the receive. Returns a cancel function (false if already matched). */
  post(p: Posted): () => boolean {
    const i = this.find(p.source, p.tag);
    if (i >= 0) {
      const [m] = this.unexpected.splice(i, 1);
      p.deliver(m!);
      return () => false;
    }
    this.posted.push(p);
    return () => {
      const j = this.posted.indexOf(p);
      if (j < 0) return false;
      this.posted.splice(j, 1);
      return true;
    };
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
