// Each rank prints `count` long lines to stdout and to stderr, every line written
// in several pieces (partial writes), so a launcher that relays raw chunks would
// splice lines of different ranks. Usage: launcher-lines.ts [count] [length]
import { init } from '@tsmpi/runtime';

const comm = await init();
const count = Number(process.argv[2] ?? 2000);
const length = Number(process.argv[3] ?? 300);

/** Line i of this rank: `r<rank> i<i> ` then filler up to `length`, then ` end<rank>`. */
function line(i: number): string {
  const head = `r${comm.rank} i${i} `;
  const tail = ` end${comm.rank}`;
  const fill = String.fromCharCode(97 + (comm.rank % 26)).repeat(Math.max(0, length - head.length - tail.length));
  return head + fill + tail;
}

async function emit(stream: NodeJS.WriteStream): Promise<void> {
  for (let i = 0; i < count; i++) {
    const l = line(i) + '\n';
    // Three pieces of uneven size; yield now and then so ranks interleave.
    const a = Math.floor(l.length / 3), b = Math.floor((2 * l.length) / 3);
    stream.write(l.slice(0, a));
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    stream.write(l.slice(a, b));
    stream.write(l.slice(b));
  }
}

await Promise.all([emit(process.stdout), emit(process.stderr)]);
