/**
 * Entry of a local worker thread: serve the tasks that come through the port,
 * and when told to stop, finish the queue and end the thread. The main
 * script is evaluated here only if one of its own (registered) tasks is
 * needed; it then parks at its pool entry point (thread-mode.ts).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Communicator } from '@tsmpi/collectives';
import { ErrorCode, tsmpiError } from '@tsmpi/runtime';
import { Kind } from '../constants.js';
import { pack, type ToWorker, unpack } from '../protocol.js';
import { TaskLoader } from '../task/load.js';
import { setMainScriptUrl } from '../task/main-script.js';
import { TaskRunner } from '../worker/runner.js';
import { threadComm } from './port-transport.js';
import { enterThreadWorkerMode, entryReached } from '../worker/thread-mode.js';

const { main, tsx, mesh } = workerData as {
  id: number; main: string | undefined; tsx: string | undefined;
  mesh?: { rank: number; size: number; ports: (MessagePort | undefined)[] };
};
const port = parentPort!;
if (tsx) ((await import(tsx)) as { register(): void }).register();
setMainScriptUrl(main);
enterThreadWorkerMode();
let comm: Communicator | undefined;
const commWorkers = (): Communicator => {
  if (!mesh) {
    throw tsmpiError(ErrorCode.UNSUPPORTED, 'getCommWorkers(): this worker thread replaced one that died, and is not part of the workers\' communicator; '
      + 'tasks that work together need every worker alive (start the executor without onWorkerExit: "continue")');
  }
  return (comm ??= threadComm(mesh.rank, mesh.size, mesh.ports));
};

let mainLoaded: Promise<void> | undefined;
const loader = new TaskLoader({
  mainUrl: main,
  loadMain: () => (mainLoaded ??= Promise.race([import(main!).then(() => {}), entryReached])),
});
const runner = new TaskRunner({
  loader,
  commWorkers,
  post: (m) => {
    const b = pack(m);
    port.postMessage(b, [b.buffer as ArrayBuffer]);
  },
});

port.on('message', (b: Uint8Array) => {
  const m = unpack<ToWorker>(b);
  if (m[0] === Kind.STOP) void runner.idle().then(() => process.exit(0));
  else runner.push(m);
});
