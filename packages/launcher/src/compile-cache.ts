/**
 * Node's on-disk cache of compiled modules (`module.enableCompileCache`,
 * Node 22.1 and later; nothing on Node 20), for tsmpiexec and its Node ranks:
 * the modules of tsmpi and the program are compiled once, not once per process
 * and run. NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE=DIR
 * chooses the directory (Node's own variables).
 */
import module from 'node:module';

export function enableCompileCache(): void {
  try {
    (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch { /* a cache is an optimization only */ }
}
