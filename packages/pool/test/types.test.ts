/**
 * The public API's types, checked by `npm run typecheck`: what submit, map and asCompleted give back, and
 * what they refuse to compile. The bodies are never run (there is no pool here); each test only checks
 * that its body exists.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { asCompleted, type CompletedFuture, type Future, type MapResults, type PoolExecutor, task, type TaskRef, withExecutor } from '@tsmpi/pool';
import type { Communicator } from '@tsmpi/collectives';
import type * as T from './fixtures/tasks.js';

declare const pool: PoolExecutor;
declare const square: typeof T.square;
declare const later: typeof T.later;
declare const comm: Communicator;

describe('types', () => {
  it('submit gives a future of the awaited result, with typed arguments', () => {
    const body = () => {
      expectTypeOf(pool.submit(square, 3)).toEqualTypeOf<Future<number>>();
      expectTypeOf(pool.submit(later, 3, 10)).toEqualTypeOf<Future<number>>();
      // @ts-expect-error a string is not the number square takes
      void pool.submit(square, 'three');
      // @ts-expect-error later takes two arguments
      void pool.submit(later, 3);
      expectTypeOf<Awaited<Future<string>>>().toEqualTypeOf<string>();
    };
    expect(body).toBeTypeOf('function');
  });

  it('a task reference carries the function type', () => {
    const body = () => {
      const ref = task<typeof T.add>('file:///x/tasks.js', 'add');
      expectTypeOf(ref).toEqualTypeOf<TaskRef<typeof T.add>>();
      expectTypeOf(pool.submit(ref, 1, 2)).toEqualTypeOf<Future<number>>();
      // @ts-expect-error add takes numbers
      void pool.submit(ref, 1, '2');
    };
    expect(body).toBeTypeOf('function');
  });

  it('map and starmap give async iterables of results', () => {
    const body = () => {
      expectTypeOf(pool.map(square, [1, 2])).toEqualTypeOf<MapResults<number>>();
      expectTypeOf(pool.map(square, [1, 2]).toArray()).toEqualTypeOf<Promise<number[]>>();
      expectTypeOf(pool.starmap(later, [[1, 2]])).toEqualTypeOf<MapResults<number>>();
      // @ts-expect-error square maps numbers
      void pool.map(square, ['a']);
    };
    expect(body).toBeTypeOf('function');
  });

  it('asCompleted yields futures (not their values) under for await', () => {
    const body = async () => {
      const fs = [pool.submit(square, 1)];
      for await (const f of asCompleted(fs)) {
        expectTypeOf(f).toEqualTypeOf<CompletedFuture<number>>();
        expectTypeOf(f.future).toEqualTypeOf<Future<number>>();
        expectTypeOf(f.result()).toEqualTypeOf<Promise<number>>();
      }
    };
    expect(body).toBeTypeOf('function');
  });

  it('withExecutor gives the executor or null, and the body\'s result', () => {
    const body = () => {
      expectTypeOf(withExecutor(comm, 0, async (ex) => {
        expectTypeOf(ex).toEqualTypeOf<PoolExecutor | null>();
        return 1;
      })).toEqualTypeOf<Promise<number>>();
    };
    expect(body).toBeTypeOf('function');
  });
});
