/**
 * The job's socket directory, as a rank process sees it: `TSMPI_SOCKET_DIR`,
 * where the same-host transport keeps each rank's Unix socket.
 *
 * tsmpiexec (or the host agent) creates it and removes it when the job ends.
 * After `kill -9` of tsmpiexec nobody would: every rank notices the lost
 * control channel and exits (rank-watch.ts, guardian.ts), so each one removes
 * the directory on its way out. The job is over once its launcher is gone, so
 * no rank needs the sockets any more; the first rank out removes them all,
 * the others find nothing left.
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';

/** As the runtime's `Env.SOCKET_DIR` (this module is preloaded into ranks and does not load the runtime). */
const SOCKET_DIR_VAR = 'TSMPI_SOCKET_DIR';
/** Only a directory tsmpiexec created (`tsmpi-<job>-XXXXXX`) is ever removed. */
const OWN_PREFIX = 'tsmpi-';

/** Remove the job's socket directory, if this process has one; never throws. */
export function removeJobSocketDir(env: NodeJS.ProcessEnv = process.env): void {
  const dir = env[SOCKET_DIR_VAR];
  if (!dir || !basename(dir).startsWith(OWN_PREFIX)) return;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch { /* another rank removed it meanwhile, or it is not ours to remove: nothing to do */ }
}
