/**
 * What the root's dispatcher needs from a back end: the workers, a way to
 * send each one a message, and two events (a message from a worker, a worker
 * gone). The ranks back end carries messages on a communicator, the local one
 * on worker-thread ports, the serial one by calling a runner in this process.
 */
import type { ToRoot, ToWorker } from '../protocol.js';

export interface WorkerLink {
  /** Worker ids: ranks of the pool's communicator, thread numbers 1..n, or 0 in process. */
  readonly workers: readonly number[];
  /** What a worker is, for messages: `rank`, `worker thread`, `in-process worker`. */
  readonly where: string;
  send(worker: number, message: ToWorker): void;
  /** Results are awaited (keep a receive posted, keep the process alive) or not. */
  setBusy(busy: boolean): void;
  /** Stop every worker; called once no task is left. */
  stop(): Promise<void>;
  /** Start a new worker in place of a dead one, when the back end can. */
  replace?(worker: number): void;
  onMessage: (worker: number, message: ToRoot) => void;
  onLost: (worker: number, reason: string) => void;
}
