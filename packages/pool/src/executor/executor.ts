/**
 * The executor the root gets (mpi4py.futures' `MPIPoolExecutor`): submit,
 * map, starmap, shutdown. The same class whatever the back end; start one
 * with `PoolExecutor.create()` or `withExecutor()` (entry.ts).
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { Mode } from '../constants.js';
import type { Task, AnyFunction } from '../task/task-ref.js';
import type { Dispatcher } from './dispatcher.js';
import { createExecutor, type ExecutorOptions } from './entry.js';
import type { Future } from './future.js';
import { MapResults } from './map-results.js';
import { ProgressBar, progressWanted } from './progress.js';

export type Backend = 'serial' | 'local' | 'ranks';

export interface MapOptions {
  /** Inputs per task (default 1): larger chunks cut per-task costs for tiny tasks; a task's error fails its whole chunk. */
  chunksize?: number;
  /** Yield results as they complete instead of in input order (default false). */
  unordered?: boolean;
  /** Show a progress bar on a terminal (default: the executor's setting). */
  progress?: boolean;
}

export interface ShutdownOptions {
  /** Resolve only once every submitted task has finished and the workers have stopped (default true). */
  wait?: boolean;
  /** Cancel the tasks no worker has started (default false). */
  cancelFutures?: boolean;
}

type Result<F extends AnyFunction> = Awaited<ReturnType<F>>;

export class PoolExecutor {
  private shut: Promise<void> | undefined;

  /** @internal Made by PoolExecutor.create() and withExecutor(). */
  constructor(
    /** @internal */ readonly dispatcher: Dispatcher,
    /** Which back end runs the tasks. */
    readonly backend: Backend,
    private readonly progress: boolean | undefined,
    private readonly afterStop: () => Promise<void> = async () => {},
  ) {}

  /**
   * Start a pool over the whole job (mpi4py's `MPIPoolExecutor` under
   * `python -m mpi4py.futures`). Every rank calls it; only rank 0 returns, with
   * the executor. The other ranks serve tasks until it shuts down, then exit
   * with code 0 without running the rest of the program. Outside tsmpiexec (or
   * with the serial or local back end) the executor is made in this process.
   * Once per program on ranks.
   */
  static create(options?: ExecutorOptions): Promise<PoolExecutor> {
    return createExecutor(options);
  }

  /** How many workers serve this pool (mpi4py's `num_workers`). */
  get numWorkers(): number { return this.dispatcher.numWorkers; }

  /**
   * Run `task(...args)` on a worker. `task` is a module-level function
   * (exported, or registered with defineTask) or a task(moduleUrl, name)
   * reference. Returns a Future: `await` it for the value; it rejects with the
   * task's own error (its stack from the worker, plus the worker's number) or
   * with a TSMPI_ERR_VALUE error when the task or an argument cannot travel.
   */
  submit<F extends AnyFunction>(task: Task<F>, ...args: Parameters<F>): Future<Result<F>> {
    return this.dispatcher.submit<Result<F>>(task, args, Mode.CALL);
  }

  /** `task(x)` for every input x, as an async iterable of results (in input order unless `unordered`). */
  map<F extends AnyFunction>(task: Task<F>, inputs: Iterable<Parameters<F>[0]>, options: MapOptions = {}): MapResults<Result<F>> {
    return this.starmap(task, Array.from(inputs, (x) => [x] as unknown as Parameters<F>), options);
  }

  /** `task(...args)` for every argument list (mpi4py's `starmap`). */
  starmap<F extends AnyFunction>(task: Task<F>, argLists: Iterable<Parameters<F>>, options: MapOptions = {}): MapResults<Result<F>> {
    const chunksize = options.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) throw tsmpiError(ErrorCode.ARG, `chunksize must be a whole number of at least 1, not ${chunksize}`);
    const lists = Array.from(argLists);
    lists.forEach((a, i) => {
      if (!Array.isArray(a)) throw tsmpiError(ErrorCode.ARG, `starmap: item ${i} is not an array of arguments (use map() for one argument per call)`);
    });
    const futures: Future<unknown>[] = [];
    if (chunksize === 1) {
      for (const a of lists) futures.push(this.dispatcher.submit(task, a, Mode.CALL));
    } else {
      for (let i = 0; i < lists.length; i += chunksize) futures.push(this.dispatcher.submit(task, lists.slice(i, i + chunksize), Mode.CHUNK));
    }
    let bar: ProgressBar | undefined;
    if (lists.length > 0 && progressWanted(options.progress ?? this.progress)) {
      const b = new ProgressBar(lists.length, `${typeof task === 'function' ? task.name : (task as { name: string }).name}`);
      futures.forEach((f, i) => f.addDoneCallback(() => b.add(chunksize === 1 ? 1 : Math.min(chunksize, lists.length - i * chunksize))));
      bar = b;
    }
    return new MapResults<Result<F>>(futures, chunksize > 1, options.unordered ?? false, bar);
  }

  /**
   * No more submissions. With `cancelFutures`, tasks no worker has started are
   * cancelled. The workers stop once the remaining tasks are done; with
   * `wait` (the default) this resolves then. Safe to call again.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    const stopping = this.dispatcher.shutdown(options.cancelFutures ?? false);
    if (!this.shut) {
      this.shut = stopping.then(() => this.afterStop());
      this.shut.catch(() => { /* reported to whoever waits; a shutdown nobody awaits must not be an unhandled rejection */ });
    }
    return options.wait === false ? Promise.resolve() : this.shut;
  }

  /** True once shutdown() was called. */
  get isShutdown(): boolean { return this.shut !== undefined; }
}
