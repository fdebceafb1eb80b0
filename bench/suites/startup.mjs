/**
 * Start-up: wall time from spawning `tsmpiexec -n 4 hello` (.mjs and .ts) and
 * `mpirun -n 4 python3 hello.py` to their exit. One untimed run of each first
 * (file cache), then the commands take turns so drift hits all alike.
 *
 * tsmpiexec is started as users start it: the `tsmpiexec` command npm links
 * (packages/tsmpi/bin/tsmpiexec.js, run as an executable), which keeps
 * NODE_EXTRA_CA_CERTS from the launcher's own process. A reference row starts
 * the launcher as `node dist/bin.js`, which cannot.
 */
import { join } from 'node:path';
import { failure, run } from '../lib/proc.mjs';
import { BENCH, ROOT } from '../lib/setup.mjs';
import { median } from '../lib/measure.mjs';
import { mpirunArgs } from './p2p.mjs';

const NP = 4;

export async function startupSuite({ opts, setup, log }) {
  const runs = opts.quick ? 3 : 7;
  const cmds = {};
  const out = {};
  const command = join(ROOT, 'packages/tsmpi/bin/tsmpiexec.js');
  const tsmpiexec = (...args) => [command, args];
  if (setup.tsmpiBuilt) {
    cmds['tsmpiexec-js'] = tsmpiexec('-n', String(NP), join(BENCH, 'programs/hello.mjs'));
    cmds['tsmpiexec-ts'] = tsmpiexec('-n', String(NP), join(BENCH, 'programs/hello.ts'));
  } else {
    out['tsmpiexec-js'] = out['tsmpiexec-ts'] = { missing: "the 'tsmpi' package is not built (npm run build)" };
  }
  if (setup.mpi.missing) out['mpirun-mpi4py'] = { missing: setup.mpi.missing };
  else cmds['mpirun-mpi4py'] = [setup.mpi.mpirun, [...mpirunArgs(setup, 'shm', NP), join(BENCH, 'mpi4py/hello.py')]];

  // Reference points (not compared): where the time goes.
  const refs = {
    'tsmpiexec-js-node': [process.execPath, [setup.launcher, '-n', String(NP), join(BENCH, 'programs/hello.mjs')]],
    'node-bare': [process.execPath, ['-e', '0']],
    'node-hello-1': [process.execPath, [join(BENCH, 'programs/hello.mjs')]],
    'node-tsx-hello-1': [process.execPath, ['--import', import.meta.resolve('tsx'), join(BENCH, 'programs/hello.ts')]],
  };
  if (!setup.tsmpiBuilt) { delete refs['tsmpiexec-js-node']; delete refs['node-hello-1']; delete refs['node-tsx-hello-1']; }
  if (!setup.mpi.missing) {
    refs['mpirun-true'] = [setup.mpi.mpirun, [...setup.mpi.args, '-n', String(NP), 'true']];
    refs['python-mpi4py-1'] = [setup.mpi.python, [join(BENCH, 'mpi4py/hello.py')]];
  }
  const expected = { 'node-bare': 0, 'mpirun-true': 0, 'node-hello-1': 1, 'node-tsx-hello-1': 1, 'python-mpi4py-1': 1 };
  Object.assign(cmds, refs);

  const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  const broken = {};
  log(`startup: ${Object.keys(cmds).length} commands × ${runs}`);
  for (let i = -1; i < runs; i++) {
    for (const [id, [file, args]] of Object.entries(cmds)) {
      if (broken[id]) continue;
      const r = await run(file, args, { timeoutMs: 60_000 });
      const hellos = (r.stdout.match(/Hello, World!/g) ?? []).length;
      if (r.code !== 0 || hellos !== (expected[id] ?? NP)) { broken[id] = `run failed (${failure(r)}; ${hellos} hello lines)`; continue; }
      if (i >= 0) times[id].push(r.ms);
    }
  }
  for (const id of Object.keys(cmds)) {
    out[id] = broken[id] ? { missing: broken[id] } : { median_ms: median(times[id]), min_ms: Math.min(...times[id]), runs_ms: times[id] };
  }
  return { np: NP, runs, impls: out };
}
