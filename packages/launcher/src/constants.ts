/** The launcher's fixed numbers: exit codes, grace periods, defaults. */
export const ExitCode = {
  OK: 0,
  /** A rank failed in a way that gives no code of its own; also an uncaught exception. */
  FAILURE: 1,
  /** Bad command line. */
  USAGE: 2,
  /** `--timeout` expired (same as GNU timeout). */
  TIMEOUT: 124,
  /** The program could not be started (not found, not executable). */
  CANNOT_RUN: 127,
} as const;

/** Between SIGTERM and SIGKILL when ending a job. */
export const KILL_GRACE_MS = 2000;

/** Signals the launcher forwards to every rank as they are (as Open MPI does). */
export const FORWARDED_SIGNALS = ['SIGUSR1', 'SIGUSR2', 'SIGCONT'] as const;
/** Signals that end the job (128 + signal number). */
export const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Ask a running job what each rank is waiting on (like a JVM thread dump on Ctrl-\). */
export const REPORT_SIGNAL = 'SIGQUIT' as const;

/**
 * Where bin/tsmpiexec.js (run as a command) moves NODE_EXTRA_CA_CERTS aside
 * for tsmpiexec's own process, and for a guardian's; each puts it back for
 * the processes it starts (extra-ca-certs.ts). The bin's shell lines spell it too.
 */
export const STASHED_CA_CERTS_VAR = 'TSMPI_LAUNCHER_EXTRA_CA_CERTS';

/**
 * glibc malloc settings each rank starts with (see malloc-tunables.ts): payloads below
 * MALLOC_MMAP_THRESHOLD_BYTES come from the heap, and up to MALLOC_TRIM_THRESHOLD_BYTES of
 * freed heap stays with the process for the next message instead of going back to the kernel.
 * 32 MiB is the largest threshold glibc accepts on 64-bit (half its 64 MiB heap size), and the
 * value its own dynamic threshold ends at; trimming at twice it is glibc's own ratio.
 */
export const MALLOC_MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024;
export const MALLOC_TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024;
