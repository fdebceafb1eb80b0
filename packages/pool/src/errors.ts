/**
 * The errors the pool raises, each a TsmpiError with a stable code and a
 * message that says what to do, and the rethrow of a task's own error with the
 * worker's stack and rank.
 */
import { ErrorCode, tsmpiError, TsmpiError } from '@tsmpi/runtime';
import type { TaskRef } from './task/task-ref.js';

/** How a task is named in messages: `square (file:///.../tasks.ts)`. */
export function describeTask(ref: Pick<TaskRef, 'module' | 'name'>): string {
  return `${ref.name} (${ref.module})`;
}

const FIX = 'export it from the top level of its module (`export function f(...)`), or register it there with '
  + '`defineTask(import.meta.url, f)`, and pass what a closure would capture as arguments; '
  + 'to name a task without the function, use `task(moduleUrl, "f")`';

/** A function that cannot be named by module and export: a closure, an unexported or anonymous function. */
export function notPortable(what: string, why: string, cause?: unknown): TsmpiError {
  return tsmpiError(ErrorCode.VALUE, `${what} cannot be a pool task: ${why}. A task travels to its worker by name, `
    + `as a module URL and an export name, so it must be a module-level function: ${FIX}`, cause);
}

/** A task of the main script that was not registered (workers cannot import a script that is running). */
export function mainNotRegistered(name: string, module: string): TsmpiError {
  return tsmpiError(ErrorCode.VALUE, `${name} is defined in the main script ${module}, which workers cannot import `
    + `while it runs: register it with \`defineTask(import.meta.url, ${name || 'f'})\` at the top level of that file, `
    + 'before the pool starts (every worker runs that line too), or move it to a module of its own');
}

/** A task reference that a worker could not load. */
export function taskNotFound(ref: Pick<TaskRef, 'module' | 'name'>, why: string, cause?: unknown): TsmpiError {
  return tsmpiError(ErrorCode.VALUE, `task ${describeTask(ref)} cannot be loaded: ${why}`, cause);
}

export function cancelled(): TsmpiError {
  return tsmpiError(ErrorCode.STATE, 'the future was cancelled before its task started (cancel() or shutdown({ cancelFutures: true }))');
}

export function afterShutdown(): TsmpiError {
  return tsmpiError(ErrorCode.STATE, 'cannot submit after shutdown(): start another executor, or submit before shutting this one down');
}

/** Why a worker is gone, for messages: `exited with code 3`, `threw ...`. */
export interface WorkerLoss { rank: number; reason: string; task?: Pick<TaskRef, 'module' | 'name'> }

/** The error of a future whose worker died while holding it. */
export function workerDied(loss: WorkerLoss, where: string): TsmpiError {
  const during = loss.task ? ` while running task ${describeTask(loss.task)}` : '';
  return tsmpiError(ErrorCode.RANK_FAILED, `pool worker ${loss.rank} (${where}) ${loss.reason}${during}; the tasks it held `
    + 'cannot complete. A task that ends its process (process.exit, a crash, an out-of-memory kill) takes its worker with it');
}

/** The error of every other future once a worker death broke the pool. */
export function poolBroken(loss: WorkerLoss): TsmpiError {
  return tsmpiError(ErrorCode.RANK_FAILED, `the pool is broken: worker ${loss.rank} ${loss.reason}, so the job ends. `
    + 'To replace a dead worker thread and keep going, start the executor with { onWorkerExit: "continue" } (local back end)');
}

/**
 * A task's own error, as the root rethrows it: the name, message, code and
 * stack it had on the worker, plus a stack line naming the worker and the task.
 */
export function rethrown(value: unknown, rank: number, ref: Pick<TaskRef, 'module' | 'name'>): unknown {
  if (!(value instanceof Error)) return value;
  let e = value as Error & { rank?: number; task?: string };
  // A TsmpiError raised on the worker (a task that cannot load, a result that cannot travel) is one here too.
  const code = (value as { code?: unknown }).code;
  if (value.name === 'TsmpiError' && typeof code === 'string' && code.startsWith('TSMPI_ERR_') && !TsmpiError.is(value)) {
    const t = new TsmpiError(code as ErrorCode, value.message);
    t.stack = value.stack;
    e = t;
  }
  e.stack = `${e.stack ?? `${e.name}: ${e.message}`}\n    at <pool worker ${rank}> (task ${describeTask(ref)})`;
  Object.defineProperty(e, 'rank', { value: rank, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(e, 'task', { value: ref.name, enumerable: false, writable: true, configurable: true });
  return e;
}
