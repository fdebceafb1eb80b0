/**
 * A pool's start on every rank of its communicator: the back end's link on the
 * root, the serving loop on the others. Loaded by entry.ts when a pool starts
 * (with the dispatcher, the back ends and node:worker_threads), so a program
 * that never starts one does not pay for loading them.
 */
import { ErrorCode, tsmpiError, UNDEFINED } from '@tsmpi/runtime';
import type { Communicator } from '@tsmpi/collectives';
import { Kind, Tag } from '../constants.js';
import { localWorkerCount, LocalLink } from '../backends/local.js';
import { RanksLink } from '../backends/ranks.js';
import { serveRanks } from '../backends/ranks-worker.js';
import { SerialLink } from '../backends/serial.js';
import { Dispatcher, type DispatchOptions } from './dispatcher.js';
import { chooseBackend, type ExecutorOptions } from './entry.js';
import { type Backend, PoolExecutor } from './executor.js';

function dispatchOptions(o: ExecutorOptions): DispatchOptions {
  const prefetch = o.prefetch ?? 'auto';
  if (prefetch !== 'auto' && !(Number.isInteger(prefetch) && prefetch >= 0)) {
    throw tsmpiError(ErrorCode.ARG, `prefetch must be 'auto' or a whole number of at least 0, not ${String(prefetch)}`);
  }
  const onWorkerExit = o.onWorkerExit ?? 'abort';
  if (onWorkerExit !== 'abort' && onWorkerExit !== 'continue') {
    throw tsmpiError(ErrorCode.ARG, `onWorkerExit must be 'abort' or 'continue', not ${String(onWorkerExit)}`);
  }
  return { prefetch, onWorkerExit };
}

/** Every rank of `comm` calls this; `root` gets the executor, the others serve and get null. */
export async function start(comm: Communicator | undefined, root: number, o: ExecutorOptions): Promise<PoolExecutor | null> {
  const backend = chooseBackend(o.backend);
  const d = dispatchOptions(o);
  const size = comm?.size ?? 1;
  const rank = comm?.rank ?? 0;
  if (backend === 'ranks' && comm && size > 1) {
    const pool = await comm.dup();
    const workers = await comm.split(rank === root ? UNDEFINED : 0, rank);
    if (rank !== root) {
      await serveRanks(pool, root, workers!);
      pool.free();
      workers!.free();
      return null;
    }
    return new PoolExecutor(new Dispatcher(new RanksLink(pool, root), d), 'ranks', o.progress, async () => pool.free());
  }
  // Serial or local on the root (a ranks pool on a world of one runs serially, as mpi4py's
  // MPICommExecutor does); the other ranks of a larger communicator wait for the root to finish.
  let afterStop: (() => Promise<void>) | undefined;
  if (comm && size > 1) {
    const pool = await comm.dup();
    if (rank !== root) {
      await pool.recv(root, Tag.TO_WORKER);
      pool.free();
      return null;
    }
    afterStop = async () => {
      await Promise.all(Array.from({ length: size }, (_, r) => r).filter((r) => r !== root).map((r) => pool.send([Kind.STOP], r, Tag.TO_WORKER)));
      pool.free();
    };
  }
  const kind: Backend = backend === 'local' ? 'local' : 'serial';
  const link = kind === 'local' ? new LocalLink(localWorkerCount(o.maxWorkers)) : new SerialLink();
  return new PoolExecutor(new Dispatcher(link, d), kind, o.progress, afterStop);
}
