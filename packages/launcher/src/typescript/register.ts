/**
 * The TypeScript loader tsmpiexec preloads (`node --import`) into ranks that
 * run a .ts/.mts/.cts file: a lighter stand-in for tsx (which costs about
 * 0.3 s per process), with the same esbuild transform, compiled files cached on
 * disk (compile.ts), source-mapped stack traces, ES modules and CommonJS.
 * Worker threads started with the same flags (the pool's) register it too.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { installCommonJsHooks } from './cjs-hooks.js';
import { compileEntry } from './entry.js';
import { warmUp } from './warm-up.js';

// In a rank (not in the pool's worker threads, nor outside tsmpiexec): tsmpi first, see warm-up.ts.
if (isMainThread && process.env.TSMPI_RANK !== undefined) await warmUp(process.argv[1]);
// Stack traces give .ts lines (the compiled code carries inline source maps).
process.setSourceMapsEnabled(true);
// The entry file compiled here, on a rank's main thread (see entry.ts); worker threads leave it to the hooks.
const entry = isMainThread ? await compileEntry(process.argv[1]) : undefined;
register('./hooks.js', { parentURL: import.meta.url, data: { entry } });
installCommonJsHooks();
