/**
 * The ranks back end, root side: tasks go to the other ranks of the pool's
 * communicator (a duplicate of the one the pool was started on, so its
 * messages never meet the program's). A receive for results is posted only
 * while results are awaited: an idle pool leaves nothing pending, so a root
 * that has finished its program can reach finalize.
 */
import { ANY_SOURCE, Status } from '@tsmpi/runtime';
import type { Communicator } from '@tsmpi/collectives';
import { Kind, Tag } from '../constants.js';
import type { ToRoot, ToWorker } from '../protocol.js';
import type { WorkerLink } from './link.js';

export class RanksLink implements WorkerLink {
  readonly workers: number[];
  readonly where = 'rank';
  onMessage: (worker: number, message: ToRoot) => void = () => {};
  onLost: (worker: number, reason: string) => void = () => {};
  private posted = false;
  private busy = false;

  constructor(private readonly comm: Communicator, private readonly root: number) {
    this.workers = Array.from({ length: comm.size }, (_, r) => r).filter((r) => r !== root);
  }

  send(worker: number, message: ToWorker): void {
    this.comm.send(message, worker, Tag.TO_WORKER).catch((err: Error) => this.onLost(worker, `cannot be reached (${err.message})`));
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    if (busy && !this.posted) this.post();
  }

  private post(): void {
    this.posted = true;
    const st = new Status();
    this.comm.irecv<ToRoot>(ANY_SOURCE, Tag.TO_ROOT).wait(st).then((m) => {
      this.posted = false;
      this.onMessage(st.source, m);
      if (this.busy && !this.posted) this.post();
    }, (err: Error) => {
      process.stderr.write(`tsmpi pool: receiving results failed: ${err.message}\n`);
      process.exit(1);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.comm.send([Kind.STOP], w, Tag.TO_WORKER)));
  }
}
