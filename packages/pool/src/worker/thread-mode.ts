/**
 * A local worker thread that needs its program's main-script tasks evaluates
 * the main script itself, in "worker mode": when that evaluation reaches a pool
 * entry point (PoolExecutor.create, withExecutor), the call parks for good
 * instead of starting a pool, and the thread knows every defineTask line
 * before it has run.
 */
let threadWorker = false;
let reached!: () => void;
/** Resolves when the main script, evaluated in this worker thread, reached a pool entry point. */
export const entryReached = new Promise<void>((r) => { reached = r; });

/** @internal Called by the worker thread's entry module. */
export function enterThreadWorkerMode(): void {
  threadWorker = true;
}

/** In a worker thread: a promise that never settles (and the signal above); elsewhere undefined. */
export function parkIfThreadWorker(): Promise<never> | undefined {
  if (!threadWorker) return undefined;
  reached();
  return new Promise<never>(() => {});
}
