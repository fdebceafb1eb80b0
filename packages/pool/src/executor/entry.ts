/**
 * The two ways into a pool, as in mpi4py.futures:
 * - `PoolExecutor.create()` (MPIPoolExecutor under `python -m mpi4py.futures`):
 *   every rank calls it; only rank 0 returns, with the executor; the other
 *   ranks serve tasks until the executor shuts down, then exit with code 0.
 * - `withExecutor(comm, root, body)` (MPICommExecutor): inside an SPMD
 *   program, `body` runs on `root` with the executor while the other ranks
 *   serve; then they run `body(null)`, and every rank goes on.
 * The back end is chosen here: the option, else TSMPI_POOL, else `ranks`
 * under tsmpiexec and `local` (worker threads) without it.
 *
 * The pool's machinery (start.ts: dispatcher, back ends, worker threads) is
 * imported when a pool starts, not with the package: every program that
 * imports `tsmpi` loads this package, and most never start a pool. So is
 * @tsmpi/collectives (loaded by then anyway): Node 20 resolves each bare
 * import of each file anew, ~2 M instructions each.
 */
import { Env, ErrorCode, finalize, tsmpiError } from '@tsmpi/runtime';
import type { Communicator } from '@tsmpi/collectives';
import { PoolEnv } from '../constants.js';
import { parkIfThreadWorker } from '../worker/thread-mode.js';
import type { Backend, PoolExecutor } from './executor.js';

export interface ExecutorOptions {
  /**
   * Where tasks run: `serial` (in this thread), `local` (worker threads of this
   * process), `ranks` (the other ranks of the job). Default: TSMPI_POOL, else
   * `ranks` under tsmpiexec, else `local`. `ranks` on a world of one rank runs serially.
   */
  backend?: Backend;
  /** Worker threads of the local back end (default TSMPI_POOL_WORKERS, else the machine's available parallelism). */
  maxWorkers?: number;
  /**
   * Tasks a worker may hold queued beyond the one it runs. `auto` (default)
   * follows measured run times: none for long or new tasks, up to 63 for tiny
   * ones. 0 is mpi4py's one task per worker.
   */
  prefetch?: number | 'auto';
  /** Progress bars for maps on a terminal (default true; TSMPI_POOL_PROGRESS=0 turns them off). */
  progress?: boolean;
  /**
   * When a worker dies in the local or serial back end: `abort` (default)
   * fails its futures and the rest, then ends the program with exit code 1
   * (what tsmpiexec does to a job on ranks); `continue` fails only its
   * futures and starts a new worker thread.
   */
  onWorkerExit?: 'abort' | 'continue';
}

/** The back end to use: the option, else TSMPI_POOL, else `ranks` under tsmpiexec, else `local`. */
export function chooseBackend(option?: string): Backend {
  const v = option ?? process.env[PoolEnv.BACKEND];
  if (v === undefined || v === '') return process.env[Env.RANK] !== undefined ? 'ranks' : 'local';
  if (v === 'serial' || v === 'local' || v === 'ranks') return v;
  throw tsmpiError(ErrorCode.ARG, `${option !== undefined ? 'backend' : PoolEnv.BACKEND}=${v}: choose serial, local or ranks`);
}

let ranksPoolStarted = false;

/** PoolExecutor.create(): see the class. */
export async function createExecutor(o: ExecutorOptions = {}): Promise<PoolExecutor> {
  const parked = parkIfThreadWorker();
  if (parked) return parked;
  const backend = chooseBackend(o.backend);
  const launched = process.env[Env.RANK] !== undefined;
  // Imported here, not at the top: each bare import of a bundle file costs Node's resolver at load (see start.ts).
  const comm = launched || backend === 'ranks' ? await (await import('@tsmpi/collectives')).init() : undefined;
  if (comm && comm.size > 1) {
    if (ranksPoolStarted) {
      throw tsmpiError(ErrorCode.STATE, 'PoolExecutor.create() was called before in this job, and its worker ranks have exited: '
        + 'create one such executor per program (or use withExecutor() for several phases of an SPMD program)');
    }
    ranksPoolStarted = true;
  }
  const executor = await (await import('./start.js')).start(comm, 0, o);
  if (!executor) {
    // A worker rank: it has served until the shutdown; end it cleanly, without running the rest of the program.
    await finalize();
    process.exit(0);
  }
  // A root that ends its program without shutdown() still lets its workers go.
  const onBeforeExit = () => { process.off('beforeExit', onBeforeExit); void executor.shutdown({ wait: false }); };
  process.prependListener('beforeExit', onBeforeExit);
  return executor;
}

/**
 * Run `body` with an executor on `root`, while the other ranks of `comm`
 * serve its tasks (mpi4py's `with MPICommExecutor(comm, root) as executor:`).
 * Every rank of `comm` calls it. On the root, `body(executor)` runs, then the
 * executor shuts down (waiting for its tasks); the other ranks then run
 * `body(null)`. Resolves with `body`'s result on every rank.
 */
export async function withExecutor<T>(
  comm: Communicator,
  root: number,
  body: (executor: PoolExecutor | null) => T | Promise<T>,
  options: ExecutorOptions = {},
): Promise<T> {
  const parked = parkIfThreadWorker();
  if (parked) return parked;
  if (!comm || typeof (comm as Partial<Communicator>).dup !== 'function' || typeof (comm as Partial<Communicator>).split !== 'function') {
    throw tsmpiError(ErrorCode.ARG, 'withExecutor(comm, root, body): comm must be a communicator from tsmpi\'s init() (or one derived from it)');
  }
  if (!Number.isInteger(root) || root < 0 || root >= comm.size) {
    throw tsmpiError(ErrorCode.ROOT, `withExecutor: root ${root} is not a rank of the communicator (0..${comm.size - 1})`);
  }
  if (typeof body !== 'function') throw tsmpiError(ErrorCode.ARG, 'withExecutor(comm, root, body): body must be a function');
  const executor = await (await import('./start.js')).start(comm, root, options);
  if (!executor) return body(null);
  let out: T;
  try {
    out = await body(executor);
  } catch (err) {
    await executor.shutdown({ cancelFutures: true }).catch(() => {});
    throw err;
  }
  await executor.shutdown();
  return out;
}
