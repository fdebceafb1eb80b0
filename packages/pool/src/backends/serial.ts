/**
 * The serial back end: one in-process worker, running tasks on this thread
 * one at a time in submission order. Arguments and results still go through
 * the value codec (tasks get copies, and a value that could not travel to a
 * real worker fails here too), so a script that works serially works on
 * threads and ranks.
 */
import { createInProcessWorld } from '@tsmpi/runtime';
import { Communicator } from '@tsmpi/collectives';
import type { ToRoot, ToWorker } from '../protocol.js';
import { TaskLoader } from '../task/load.js';
import { mainScriptUrl } from '../task/main-script.js';
import { TaskRunner } from '../worker/runner.js';
import type { WorkerLink } from './link.js';

let selfComm: Communicator | undefined;

export class SerialLink implements WorkerLink {
  readonly workers = [0];
  readonly where = 'in-process worker';
  onMessage: (worker: number, message: ToRoot) => void = () => {};
  onLost: (worker: number, reason: string) => void = () => {};
  private readonly runner: TaskRunner;

  constructor() {
    this.runner = new TaskRunner({
      loader: new TaskLoader({ mainUrl: mainScriptUrl() }),
      post: (m) => queueMicrotask(() => this.onMessage(0, m)),
      // The communicator among the workers: a world of one.
      commWorkers: () => (selfComm ??= createInProcessWorld(1, Communicator).comms[0]!),
    });
  }

  send(_worker: number, message: ToWorker): void {
    // Run tasks after the submitting code has finished its turn, as a real worker would.
    setImmediate(() => this.runner.push(message));
  }

  setBusy(): void {}

  stop(): Promise<void> {
    return this.runner.idle();
  }
}
