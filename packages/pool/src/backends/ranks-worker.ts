/**
 * The ranks back end, worker side: receive batches from the root and run
 * them until the stop message. A worker rank that exits in the middle of a
 * task (process.exit, a crash) says which task it was running, and never
 * exits with 0 then: tsmpiexec ends the job, so the root does not wait for
 * results that cannot come.
 */
import type { Communicator } from '@tsmpi/collectives';
import { Kind, Tag } from '../constants.js';
import { describeTask } from '../errors.js';
import type { ToWorker } from '../protocol.js';
import { TaskLoader } from '../task/load.js';
import { mainScriptUrl } from '../task/main-script.js';
import { TaskRunner } from '../worker/runner.js';

export async function serveRanks(comm: Communicator, root: number, workers: Communicator): Promise<void> {
  const runner = new TaskRunner({
    commWorkers: () => workers,
    loader: new TaskLoader({ mainUrl: mainScriptUrl() }),
    post: (m) => {
      comm.send(m, root, Tag.TO_ROOT).catch((err: Error) => {
        process.stderr.write(`tsmpi pool: worker rank ${comm.rank} cannot send results to the root (rank ${root}): ${err.message}\n`);
        process.exit(1);
      });
    },
  });
  const onExit = (code: number) => {
    const task = runner.current;
    if (!task) return;
    process.stderr.write(`tsmpi pool: worker rank ${comm.rank} exited with code ${code} while running task ${describeTask(task)}; `
      + 'the futures it held cannot complete, so the job ends\n');
    if (code === 0) process.exitCode = 1;
  };
  process.on('exit', onExit);
  try {
    for (;;) {
      const m = await comm.recv<ToWorker>(root, Tag.TO_WORKER);
      if (m[0] === Kind.STOP) break;
      runner.push(m);
    }
    await runner.idle();
  } finally {
    process.off('exit', onExit);
  }
}
