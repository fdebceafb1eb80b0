/**
 * What a task can ask about the worker it runs on: the communicator among the
 * workers (mpi4py.futures' `get_comm_workers()`), for tasks that work
 * together (each of a group of tasks computes a share, then they allreduce).
 */
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import type { Communicator } from '@tsmpi/collectives';

let provider: (() => Communicator) | undefined;
let used = false;

/**
 * The communicator of all the pool's workers, in a task (mpi4py's `get_comm_workers()`).
 * Tasks that use it synchronise with each other: submit exactly one per worker
 * (`executor.numWorkers` of them); the pool then never queues such a task behind another.
 * On the ranks back end it spans the worker ranks; on the serial back end it
 * is a world of size 1; local worker threads have none (TSMPI_ERR_UNSUPPORTED).
 */
export function getCommWorkers(): Communicator {
  if (!provider) {
    throw tsmpiError(ErrorCode.STATE, 'getCommWorkers() is for tasks: call it inside a task that a pool worker runs');
  }
  used = true;
  return provider();
}

/** @internal Set when this process (or thread) starts serving. */
export function setCommWorkers(p: (() => Communicator) | undefined): void {
  provider = p;
}

/** @internal Whether a task called getCommWorkers() since the last call (and reset). */
export function takeCollectiveUse(): boolean {
  const u = used;
  used = false;
  return u;
}
