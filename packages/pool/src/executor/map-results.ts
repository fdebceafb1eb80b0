/**
 * What map() and starmap() return: the results as an async iterable, in input
 * order (or in completion order with `unordered`). Every task is submitted at
 * once, as in Python; iterating only reads the results. A task's error is
 * thrown where its result would be, and ends the iteration; leaving the loop
 * early (break, return, an error) cancels the tasks no worker has started.
 */
import { asCompleted } from './as-completed.js';
import type { Future } from './future.js';
import type { ProgressBar } from './progress.js';

export class MapResults<T> implements AsyncIterable<T> {
  /** @internal */
  constructor(
    private readonly futures: Future<unknown>[],
    private readonly chunked: boolean,
    private readonly unordered: boolean,
    private readonly bar?: ProgressBar,
  ) {}

  /** The futures of the map's tasks, in input order (one per chunk with `chunksize` > 1). */
  get tasks(): readonly Future<unknown>[] { return this.futures; }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    let finished = false;
    try {
      if (this.unordered) {
        for await (const f of asCompleted(this.futures)) yield* this.items(await f.result());
      } else {
        for (const f of this.futures) yield* this.items(await f);
      }
      finished = true;
    } finally {
      if (!finished) this.cancel();
    }
  }

  /** Every result, as an array (in input order, or completion order with `unordered`). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const v of this) out.push(v);
    return out;
  }

  /** Cancel the tasks no worker has started; returns how many were cancelled. */
  cancel(): number {
    let n = 0;
    for (const f of this.futures) if (!f.done() && f.cancel()) n++;
    this.bar?.stop();
    return n;
  }

  private items(v: unknown): T[] {
    return (this.chunked ? v : [v]) as T[];
  }
}
