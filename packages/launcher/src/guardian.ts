/**
 * The guardian: a tiny Node process that runs a non-Node rank program
 * (`tsmpiexec -n 2 hostname`) so that it cannot outlive tsmpiexec.
 *
 * Usage (by tsmpiexec only): node guardian.js <file> <argv0> [args...]
 *
 * A Node rank notices by itself when its control channel to tsmpiexec closes
 * and exits; a plain executable has no such channel, and after `kill -9` of
 * tsmpiexec it would run on as an orphan (what mpirun does). The guardian
 * holds the channel for it: tsmpiexec starts the guardian in a process group
 * of its own, the guardian starts the program in that same group with the
 * same stdin, stdout and stderr (so output and rank 0's stdin pass unchanged),
 * and when the channel closes without the program having finished, it ends
 * the group: SIGTERM, then SIGKILL after a grace period.
 *
 * The program's end is the guardian's: exit code n → exit n; death by a
 * signal → the guardian kills itself with that signal, so tsmpiexec reports
 * the signal as it would for a rank it started directly.
 *
 * Control messages are relayed both ways, so a program that is Node after all
 * (`tsmpiexec -n 2 node job.js`, or a script that runs one) still joins the job.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { restoreExtraCaCerts } from './extra-ca-certs.js';
import { removeJobSocketDir } from './socket-dir.js';

/** Between SIGTERM and SIGKILL to the group once tsmpiexec is gone. */
const ORPHAN_GRACE_MS = 2000;
/** Signals tsmpiexec sends to the whole group: the program receives them itself, the guardian waits for its end. */
const GROUP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGCONT'] as const;
/** The guardian's own messages to tsmpiexec (beside the relayed ones). */
export interface GuardianMessage { t: 'guardian-pid'; pid: number }

function main(): void {
  const [file, argv0, ...args] = process.argv.slice(2);
  if (!file || argv0 === undefined || typeof process.send !== 'function') {
    process.stderr.write('tsmpiexec guardian: started without a program or a control channel; it is run by tsmpiexec only\n');
    process.exit(2);
  }
  // tsmpiexec went away while this guardian was starting: start nothing.
  if (!process.connected) { removeJobSocketDir(); process.exit(1); }
  // The program gets our environment less the control-channel variables Node
  // set for us (it gets a channel of its own below), with the NODE_EXTRA_CA_CERTS
  // tsmpiexec kept from this process back (extra-ca-certs.ts).
  const env = { ...process.env };
  delete env.NODE_CHANNEL_FD;
  delete env.NODE_CHANNEL_SERIALIZATION_MODE;
  restoreExtraCaCerts(env);

  const child = spawn(file, args, { argv0, env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  for (const s of GROUP_SIGNALS) process.on(s, () => { /* the program got it too; its end is ours */ });

  let finished = false;
  const ignore = () => { /* tsmpiexec is gone: the 'disconnect' handler deals with it */ };
  child.on('spawn', () => { if (process.connected) process.send!({ t: 'guardian-pid', pid: child.pid! } satisfies GuardianMessage, ignore); });
  child.on('message', (m) => { if (process.connected) process.send!(m, ignore); });
  process.on('message', (m) => { if (child.connected) child.send(m as object, () => { /* the program is not listening */ }); });
  child.on('error', (err: NodeJS.ErrnoException) => {
    // Could not start (tsmpiexec checked it exists, but it may be unreadable or vanish).
    if (child.pid !== undefined) return;
    finished = true;
    process.stderr.write(`tsmpiexec: could not start ${argv0}: ${err.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    finished = true;
    if (signal) dieBy(signal);
    else process.exit(code ?? 1);
  });
  process.on('disconnect', () => {
    if (finished) return;
    removeJobSocketDir();
    // tsmpiexec is gone: nobody else will end the program.
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), ORPHAN_GRACE_MS);
  });
}

function killGroup(signal: NodeJS.Signals): void {
  try { process.kill(-process.pid, signal); } catch { /* already gone */ }
}

/** End this process by `signal`, as the program ended; 128+n if the signal cannot end it (ignored by Node, e.g. SIGPIPE). */
function dieBy(signal: NodeJS.Signals): void {
  for (const s of GROUP_SIGNALS) process.removeAllListeners(s);
  try { process.kill(process.pid, signal); } catch { /* fall through */ }
  const n = (osConstants.signals as Record<string, number>)[signal] ?? 0;
  setTimeout(() => process.exit(128 + n), 200);
}

main();
