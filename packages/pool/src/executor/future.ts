/**
 * The result of a submitted task (concurrent.futures' `Future`): awaitable
 * like a promise (`await f`, `f.then`, `f.catch`), with `result()`,
 * `exception()`, `done()`, `running()`, `cancelled()`, `cancel()` and
 * `addDoneCallback()`. It is not a Promise: a future that fails and that
 * nobody awaits (a cancelled map's rest, a fire-and-forget submit) is not an
 * unhandled rejection, as in Python.
 */
import { cancelled as cancelledError } from '../errors.js';

type State = 'pending' | 'running' | 'finished' | 'cancelled';

/**
 * A future as asCompleted() yields it: the future itself, typed without
 * `then` so that `for await` keeps it a future instead of typing it as its
 * value. Read it with `await f.result()`; `f.future` is the Future (for maps and comparisons).
 */
export type CompletedFuture<T> = Omit<Future<T>, 'then' | 'catch' | 'finally'>;

export class Future<T = unknown> implements PromiseLike<T> {
  private state: State = 'pending';
  private ok = false;
  private value: unknown;
  private promise: Promise<T> | undefined;
  private settle: { resolve(v: T): void; reject(e: unknown): void } | undefined;
  private callbacks: ((f: Future<T>) => void)[] = [];
  /** @internal Called by cancel() while the task is still queued; true if it was withdrawn. */
  withdraw: (() => boolean) | undefined;

  /** True once the task finished (with a value or an error) or was cancelled. */
  done(): boolean { return this.state === 'finished' || this.state === 'cancelled'; }
  /** True while a worker holds the task. */
  running(): boolean { return this.state === 'running'; }
  cancelled(): boolean { return this.state === 'cancelled'; }

  /**
   * Withdraw the task if no worker has it yet. Returns true if the future is
   * (now) cancelled, false if it runs or has finished.
   */
  cancel(): boolean {
    if (this.state === 'cancelled') return true;
    if (this.state !== 'pending') return false;
    if (this.withdraw && !this.withdraw()) return false;
    this.state = 'cancelled';
    this.ok = false;
    this.value = cancelledError();
    this.finish();
    return true;
  }

  /** The task's value; rejects with the task's error (or TSMPI_ERR_STATE when cancelled). */
  result(): Promise<T> {
    if (!this.promise) {
      this.promise = new Promise<T>((resolve, reject) => { this.settle = { resolve, reject }; });
      if (this.done()) this.deliver();
    }
    return this.promise;
  }

  /** The task's error, or undefined if it succeeded (rejects only when cancelled). */
  async exception(): Promise<unknown> {
    try {
      await this.result();
      return undefined;
    } catch (err) {
      if (this.state === 'cancelled') throw err;
      return err;
    }
  }

  /** Call `fn(this)` once the future is done (at once if it is). */
  addDoneCallback(fn: (f: Future<T>) => void): void {
    if (this.done()) queueMicrotask(() => fn(this));
    else this.callbacks.push(fn);
  }

  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.result().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.result().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.result().finally(onfinally);
  }

  get [Symbol.toStringTag](): string { return 'Future'; }

  /** This future (what asCompleted() yields exposes it for identity: `byFuture.get(f.future)`). */
  get future(): Future<T> { return this; }

  /** @internal A worker has the task: it can no longer be cancelled. */
  setRunning(): boolean {
    if (this.state !== 'pending') return false;
    this.state = 'running';
    return true;
  }

  /** @internal */
  resolve(value: T): void { this.complete(true, value); }
  /** @internal */
  reject(error: unknown): void { this.complete(false, error); }

  /** @internal True if it settled with a value (valid once done). */
  succeeded(): boolean { return this.state === 'finished' && this.ok; }
  /** @internal The value or error, once done. */
  outcome(): unknown { return this.value; }

  private complete(ok: boolean, value: unknown): void {
    if (this.done()) return;
    this.state = 'finished';
    this.ok = ok;
    this.value = value;
    this.finish();
  }

  private finish(): void {
    this.withdraw = undefined;
    if (this.settle) this.deliver();
    const cbs = this.callbacks;
    this.callbacks = [];
    for (const cb of cbs) {
      try {
        cb(this);
      } catch (err) {
        // A failing callback is a bug in the program: make it loud, but still run the others.
        queueMicrotask(() => { throw err; });
      }
    }
  }

  private deliver(): void {
    if (this.ok) this.settle!.resolve(this.value as T);
    else this.settle!.reject(this.value);
  }
}
