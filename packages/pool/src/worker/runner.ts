/**
 * A worker's side of the pool, whatever carries its messages (ranks, a
 * thread's port, or a direct call in the serial back end): it queues the
 * tasks of each batch, runs them one at a time in arrival order (awaiting a
 * task that returns a promise before starting the next), and sends results
 * back in batches: when its queue runs dry, every FLUSH_US while it is busy,
 * once FLUSH_RESULTS results or MAX_BATCH_BYTES bytes wait, and before a task
 * that may take long.
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { FLUSH_RESULTS, FLUSH_US, Kind, MAX_BATCH_BYTES, Mode, ResultFlag } from '../constants.js';
import { eachRow, joinBlobs, pack, TASK_FIELDS, type ToRoot, type ToWorker, unpack } from '../protocol.js';
import type { TaskLoader } from '../task/load.js';
import type { AnyFunction, TaskRef } from '../task/task-ref.js';
import { setCommWorkers, takeCollectiveUse } from './context.js';
import type { Communicator } from '@tsmpi/collectives';

export interface RunnerOptions {
  loader: TaskLoader;
  /** Send a batch of results to the root. */
  post(message: ToRoot): void;
  /** What getCommWorkers() gives this runner's tasks. */
  commWorkers?: () => Communicator;
}

type Ref = Pick<TaskRef, 'module' | 'name'>;
type Queued = [id: number, ref: number, args: Uint8Array, mode: number];

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';

export class TaskRunner {
  private readonly refs = new Map<number, Ref>();
  private readonly fns = new Map<number, AnyFunction>();
  /** Mean run time of each reference's tasks here (µs), to flush before a long one. */
  private readonly meanUs = new Map<number, number>();
  private queue: (Queued | undefined)[] = [];
  private head = 0;
  private running = false;
  private table: number[] = [];
  private blobs: Uint8Array[] = [];
  private blobBytes = 0;
  private lastFlush = performance.now();
  private idleWaiters: (() => void)[] = [];
  /** The task running now (for the message of a worker that dies in it). */
  current: Ref | undefined;

  constructor(private readonly o: RunnerOptions) {}

  /** Take a message from the root (STOP is handled by the caller). */
  push(message: ToWorker): void {
    if (message[0] !== Kind.TASKS) return;
    for (const [idx, module, name] of message[1]) this.refs.set(idx, { module, name });
    const table = message[2];
    eachRow(table, TASK_FIELDS, message[3], (row, blob) => { this.queue.push([table[row]!, table[row + 1]!, blob, table[row + 2]!]); });
    if (!this.running) void this.drain();
  }

  /** Resolves once every queued task has run and its result was posted. */
  idle(): Promise<void> {
    if (!this.running && this.head >= this.queue.length) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.head < this.queue.length) {
        const [id, refIdx, args, mode] = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        const ref = this.refs.get(refIdx)!;
        let fn = this.fns.get(refIdx);
        if (!fn) {
          try {
            const f = this.o.loader.get(ref);
            fn = typeof f === 'function' ? f : await f;
            this.fns.set(refIdx, fn);
          } catch (err) {
            this.add(id, 0, err, 0, 0);
            this.maybeFlush();
            continue;
          }
        }
        const expected = this.meanUs.get(refIdx);
        if (this.blobs.length > 0 && (expected === undefined || expected > FLUSH_US)) this.flush();
        this.current = ref;
        // Several workers share a process only in tests (in-process worlds): each task sees its own worker's.
        setCommWorkers(this.o.commWorkers);
        takeCollectiveUse();
        const t0 = performance.now();
        let ok = 1;
        let value: unknown;
        try {
          const a = unpack<unknown[]>(args);
          if (mode === Mode.CALL) {
            value = fn(...a);
            if (isThenable(value)) value = await value;
          } else {
            const out = new Array<unknown>(a.length);
            for (let i = 0; i < a.length; i++) {
              let v = fn(...(a[i] as unknown[]));
              if (isThenable(v)) v = await v;
              out[i] = v;
            }
            value = out;
          }
        } catch (err) {
          ok = 0;
          value = err;
        }
        const us = (performance.now() - t0) * 1000;
        this.current = undefined;
        this.meanUs.set(refIdx, expected === undefined ? us : 0.8 * expected + 0.2 * us);
        this.add(id, ok, value, us, takeCollectiveUse() ? ResultFlag.COLLECTIVE : 0);
        this.maybeFlush();
      }
      this.queue = [];
      this.head = 0;
    } finally {
      this.running = false;
      if (this.blobs.length > 0) this.flush();
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  private add(id: number, ok: number, value: unknown, us: number, flags: number): void {
    let blob: Uint8Array;
    try {
      blob = pack(value);
    } catch (err) {
      blob = pack(tsmpiError(ErrorCode.VALUE, `the task's ${ok ? 'result' : 'error'} cannot travel back to the root: ${(err as Error).message}`, err));
      ok = 0;
    }
    this.table.push(id, ok, us, flags, blob.byteLength);
    this.blobs.push(blob);
    this.blobBytes += blob.byteLength;
  }

  private maybeFlush(): void {
    if (this.head >= this.queue.length || this.blobs.length >= FLUSH_RESULTS || this.blobBytes >= MAX_BATCH_BYTES
      || (performance.now() - this.lastFlush) * 1000 >= FLUSH_US) this.flush();
  }

  private flush(): void {
    const table = Float64Array.from(this.table);
    const data = joinBlobs(this.blobs);
    this.table = [];
    this.blobs = [];
    this.blobBytes = 0;
    this.lastFlush = performance.now();
    this.o.post([Kind.RESULTS, table, data]);
  }
}
