/**
 * Preloaded (`node --import`) into every Node rank that tsmpiexec starts: when
 * the control channel to tsmpiexec closes, the rank exits, even a program that
 * never calls init(). Without it, `kill -9` of tsmpiexec would leave such a
 * program running as an orphan.
 */
if (typeof process.send === 'function') {
  // Gone already (while Node was starting): the 'disconnect' event has passed.
  if (!process.connected) process.exit(1);
  process.on('disconnect', () => {
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
if (rank !== undefined) {
  process.on('uncaughtException', (err, origin) => {
    if (process.listenerCount('uncaughtException') > 1) return;
    const text = err instanceof Error ? err.stack ?? `${err.name}: ${err.message}` : `${origin === 'unhandledRejection' ? 'Unhandled rejection: ' : 'Uncaught: '}${String(err)}`;
    const what = origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception';
    process.stderr.write(`[rank ${rank}] ${what}:\n${text.split('\n').map((l) => `[rank ${rank}] ${l}`).join('\n')}\n`);
    process.exit(1);
  });
}
export {};
