/**
 * Preloaded (`node --import`) into every Node rank that tsmpiexec starts: when
 * the control channel to tsmpiexec closes, the rank exits, even a program that
 * never calls init(). Without it, `kill -9` of tsmpiexec would leave such a
 * program running as an orphan.
 */
import { enableCompileCache } from './compile-cache.js';
import { restoreExtraCaCerts } from './extra-ca-certs.js';
import { removeJobSocketDir } from './socket-dir.js';

// The program sees NODE_EXTRA_CA_CERTS as the user set it, not the file of certificates Node
// lacked that this process started with (rank-ca-certs.ts); so do the processes it starts.
restoreExtraCaCerts(process.env);
enableCompileCache();

if (typeof process.send === 'function') {
  // Gone already (while Node was starting): the 'disconnect' event has passed.
  if (!process.connected) { removeJobSocketDir(); process.exit(1); }
  process.on('disconnect', () => {
    // tsmpiexec is gone, and with it whoever would remove the job's sockets (this listener runs first).
    removeJobSocketDir();
    // Once init() has run, the runtime listens too and decides (it knows whether it closed the channel itself).
    if (process.listenerCount('disconnect') > 1) return;
    process.exit(1);
  });
  // The channel alone must not keep a finished program alive.
  (process.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * An uncaught exception or unhandled rejection ends the whole job (what
 * `python -m mpi4py` does): print the stack with every line prefixed by the
 * rank, and exit 1 so tsmpiexec ends the other ranks. A program that installs
 * its own handler keeps control.
 */
const rank = process.env.TSMPI_RANK;
/** As the runtime's constant of that name (this preload does not load the runtime). */
const PEER_FAILURE_GRACE_MS = 2000;
if (rank !== undefined) {
  process.on('uncaughtException', (err, origin) => {
    if (process.listenerCount('uncaughtException') > 1) return;
    // As Node prints it: the stack, then the error's own properties (a TsmpiError's `code`) and its `cause`.
    const text = err instanceof Error ? process.getBuiltinModule('node:util').inspect(err) : `${origin === 'unhandledRejection' ? 'Unhandled rejection: ' : 'Uncaught: '}${String(err)}`;
    const what = origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception';
    process.stderr.write(`[rank ${rank}] ${what}:\n${text.split('\n').map((l) => `[rank ${rank}] ${l}`).join('\n')}\n`);
    // An error because a peer rank is gone is a consequence: the peer most likely failed, and
    // tsmpiexec ends this rank as soon as it sees that. Leave it the time to, so the job's exit
    // code is the failed peer's, not this rank's 1 (the runtime's PEER_FAILURE_GRACE_MS).
    if ((err as { code?: unknown } | null)?.code === 'TSMPI_ERR_RANK_FAILED') {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PEER_FAILURE_GRACE_MS);
    }
    process.exit(1);
  });
}
