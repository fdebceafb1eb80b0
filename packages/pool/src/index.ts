/**
 * @tsmpi/pool: task pools on tsmpi (concurrent.futures, mpi4py.futures,
 * schwimmbad and joblib for TypeScript). The root submits tasks, exported
 * functions of modules named by URL, and workers run them: worker threads on
 * this machine, or the other ranks of a tsmpiexec job on any number of hosts.
 */
export { PoolExecutor, type Backend, type MapOptions, type ShutdownOptions } from './executor/executor.js';
export { withExecutor, chooseBackend, type ExecutorOptions } from './executor/entry.js';
export { Future, type CompletedFuture } from './executor/future.js';
export { MapResults } from './executor/map-results.js';
export { asCompleted } from './executor/as-completed.js';
export { ProgressBar, type ProgressStream, type ProgressOptions } from './executor/progress.js';
export { task, defineTask, defineTasks, isTaskRef, type Task, type TaskRef, type AnyFunction } from './task/task-ref.js';
export { getCommWorkers } from './worker/context.js';
export { PoolEnv } from './constants.js';

/** mpi4py spellings. */
export { PoolExecutor as MPIPoolExecutor } from './executor/executor.js';
export { getCommWorkers as get_comm_workers } from './worker/context.js';
export { asCompleted as as_completed } from './executor/as-completed.js';
