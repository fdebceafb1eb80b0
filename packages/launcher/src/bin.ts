#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';
import { restoreExtraCaCerts } from './extra-ca-certs.js';

// Before anything reads the environment: the ranks get NODE_EXTRA_CA_CERTS as the user set it
// (bin/tsmpiexec.js kept it from this process only; see extra-ca-certs.ts).
restoreExtraCaCerts(process.env);
enableCompileCache();
const { main } = await import('./main.js');

/** Resolves once everything written to `s` so far has left the process (or it cannot: a closed reader). */
function drained(s: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.writableLength === 0 || s.destroyed) { resolve(); return; }
    s.write('', () => resolve());
    s.once('error', () => resolve());
  });
}

main(process.argv.slice(2)).then(
  async (code) => {
    // stdin (piped to rank 0) must not hold us; relayed output must all be out before we leave:
    // writes to a pipe whose reader is slow are still queued here when the last rank has exited.
    process.stdin.destroy();
    process.exitCode = code;
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    process.exit(code);
  },
  (err) => {
    process.stderr.write(`tsmpiexec: internal error: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
