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
export {};
