/**
 * NODE_EXTRA_CA_CERTS kept out of the launcher's own processes, and given
 * back to every process they start.
 *
 * Why: Node 20 reads and parses every certificate of NODE_EXTRA_CA_CERTS when
 * a process starts, before any JavaScript runs (a system bundle of ~280
 * certificates: ~410 M instructions, 80 % of `node -e 0`). tsmpiexec and the
 * guardian make no TLS connection, so they need not pay that; a rank program
 * may, so it gets the variable exactly as the user set it.
 *
 * How: the variable can only be kept from a process by whoever starts it.
 * bin/tsmpiexec.js, run as a command, is a shell script first: it moves the
 * value to STASHED_CA_CERTS_VAR and starts Node on itself; bin.ts puts it back
 * before anything reads the environment. tsmpiexec starts each guardian the
 * same way (withoutExtraCaCerts), and the guardian puts it back for its program.
 * A Node rank starts with only the certificates Node does not bundle
 * (rank-ca-certs.ts) and the value as set in the stash, which rank-watch.ts
 * puts back before its program runs.
 */
import { STASHED_CA_CERTS_VAR } from './constants.js';

const VAR = 'NODE_EXTRA_CA_CERTS';

/** `env` as its process was meant to see it: NODE_EXTRA_CA_CERTS back from the stash (changes `env`). */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv): void {
  const stashed = env[STASHED_CA_CERTS_VAR];
  if (stashed === undefined) return;
  delete env[STASHED_CA_CERTS_VAR];
  env[VAR] = stashed;
}

/** A copy of `env` for a process that makes no TLS connection: NODE_EXTRA_CA_CERTS moved to the stash. */
export function withoutExtraCaCerts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out[STASHED_CA_CERTS_VAR];
  if (out[VAR]) {
    out[STASHED_CA_CERTS_VAR] = out[VAR];
    delete out[VAR];
  }
  return out;
}
