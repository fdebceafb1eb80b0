/**
 * `asCompleted(futures)`: the futures in the order they finish (mpi4py's and
 * concurrent.futures' `as_completed`). Cancelled futures count as finished.
 * Leaving the loop early leaves the other futures running.
 *
 * Not an async generator: a generator awaits what it yields, which would turn
 * each future into its value (or its error); this yields the futures themselves
 * (typed as CompletedFuture, see there).
 */
import type { CompletedFuture, Future } from './future.js';

export function asCompleted<T>(futures: Iterable<Future<T>>): AsyncIterableIterator<CompletedFuture<T>> {
  const all = [...new Set(futures)];
  const ready: Future<T>[] = [];
  let wake: (() => void) | undefined;
  let left = all.length;
  for (const f of all) {
    f.addDoneCallback(() => {
      ready.push(f);
      const w = wake;
      wake = undefined;
      w?.();
    });
  }
  const it: AsyncIterableIterator<CompletedFuture<T>> = {
    async next(): Promise<IteratorResult<CompletedFuture<T>, undefined>> {
      if (left === 0) return { value: undefined, done: true };
      if (ready.length === 0) await new Promise<void>((r) => { wake = r; });
      left--;
      return { value: ready.shift()!, done: false };
    },
    async return(): Promise<IteratorResult<CompletedFuture<T>, undefined>> {
      left = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() { return it; },
  };
  return it;
}
