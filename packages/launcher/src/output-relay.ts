/**
 * Relays a rank's output in whole lines: a line is written only once it is
 * complete (never spliced with another rank's), optionally prefixed with the
 * rank. A reader that went away (`tsmpiexec ... | head`) is not an error: the
 * output is dropped and the job goes on.
 */
import type { Readable, Writable } from 'node:stream';

const closed = new WeakSet<Writable>();

export function guardPipe(out: Writable): void {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed.add(out);
    else throw err;
  });
}

/**
 * `passRedraws`: a partial line that redraws itself (`\r...`, a progress bar)
 * goes out at once instead of waiting for its newline — used when our own
 * stream is a terminal, where such lines are meant to be seen as they change.
 */
export function relayLines(from: Readable, to: Writable, prefix: string, passRedraws = false): Promise<void> {
  let partial = '';
  const write = (s: string) => { if (!closed.has(to) && s) to.write(s); };
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const last = chunk.lastIndexOf('\n');
    if (last < 0) {
      partial += chunk;
      if (passRedraws && partial.startsWith('\r')) { write(partial); partial = ''; }
      return;
    }
    const whole = partial + chunk.slice(0, last + 1);
    partial = chunk.slice(last + 1);
    write(prefix ? whole.slice(0, -1).split('\n').map((l) => prefix + l).join('\n') + '\n' : whole);
  });
  return new Promise((resolve) => {
    from.on('close', () => {
      if (partial) write(prefix + partial + '\n');
      partial = '';
      resolve();
    });
  });
}
