/**
 * CPU profile of every rank (node --cpu-prof is not allowed in NODE_OPTIONS,
 * and tsmpiexec takes no Node flags, so this preload does the same job):
 *
 *   BENCH_CPU_PROF=/tmp/prof NODE_OPTIONS="--import $PWD/bench/lib/cpu-prof.mjs" \
 *     node packages/launcher/dist/bin.js -n 2 bench/programs/p2p.mjs '{...}'
 *
 * writes rank<N>-<pid>.cpuprofile (launcher-<pid> for tsmpiexec itself) into
 * $BENCH_CPU_PROF, for Chrome DevTools or bench/tools/top-functions.mjs.
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROF_INTERVAL ?? 100) });
  session.post('Profiler.enable');
  session.post('Profiler.start');
  const who = process.env.TSMPI_RANK !== undefined ? `rank${process.env.TSMPI_RANK}` : 'launcher';
  let written = false;
  // The in-process session answers synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `${who}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
