/**
 * Every reserved number and name of the pool in one place: the wire kinds and
 * tags of its protocol, the environment variables it reads, and the
 * scheduling thresholds (with why each has its value).
 */

/** Environment variables read by the pool. */
export const PoolEnv = {
  /** `serial`, `local` or `ranks`: the back end when the program does not choose one. */
  BACKEND: 'TSMPI_POOL',
  /** Number of worker threads of the local back end (default: the machine's available parallelism). */
  WORKERS: 'TSMPI_POOL_WORKERS',
  /** `0` turns the progress bar off. */
  PROGRESS: 'TSMPI_POOL_PROGRESS',
} as const;

/** Tags on the pool's private communicator (a duplicate of the one it was started on). */
export const Tag = {
  /** Root to worker: a batch of tasks, or the stop message. */
  TO_WORKER: 1,
  /** Worker to root: a batch of results. */
  TO_ROOT: 2,
} as const;

/** First element of every pool message. */
export const Kind = {
  /** `[TASKS, newRefs, tasks]`, root to worker. */
  TASKS: 1,
  /** `[STOP]`, root to worker: no more tasks; serve no longer. */
  STOP: 2,
  /** `[RESULTS, results]`, worker to root. */
  RESULTS: 3,
} as const;

/** How a task entry's argument blob is applied. */
export const Mode = {
  /** The blob is one argument list: `fn(...args)`. */
  CALL: 0,
  /** The blob is a list of argument lists (a map chunk): `[fn(...a0), fn(...a1), ...]`. */
  CHUNK: 1,
} as const;

/** Bits of a result entry's flags. */
export const ResultFlag = {
  /** The task called getCommWorkers(): it may synchronise with other workers, so never queue it behind another. */
  COLLECTIVE: 1,
} as const;

/**
 * Work a worker may hold queued beyond the task it runs, in microseconds of
 * measured task time. Enough to hide the round trip to the root (a few
 * hundred µs on a loaded host) for tiny tasks; small enough that the last
 * tasks of a map are not stuck behind a busy worker while others idle.
 */
export const QUEUE_BUDGET_US = 2000;
/** Most tasks one worker holds at once (running + queued). */
export const MAX_WINDOW = 64;
/** Most tasks in one batch message. */
export const MAX_BATCH = 64;
/** Most argument bytes in one batch message (a big argument travels alone). */
export const MAX_BATCH_BYTES = 1 << 20;
/** A worker sends its finished results at least this often while it still has queued work (µs). */
export const FLUSH_US = 500;
/** ... and as soon as this many results are waiting. */
export const FLUSH_RESULTS = 32;
/** A map shows its progress bar only once it has run this long (ms): short maps never flicker one. */
export const PROGRESS_DELAY_MS = 1000;
/** Progress bar redraws at most this often (ms). */
export const PROGRESS_INTERVAL_MS = 100;
