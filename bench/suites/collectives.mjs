/** Collectives at 2, 4 and 8 ranks (oversubscribed on small machines): tsmpi, then mpi4py shm and tcp. */
import { join } from 'node:path';
import { outcome, run } from '../lib/proc.mjs';
import { BENCH } from '../lib/setup.mjs';
import { mpirunArgs } from './p2p.mjs';

export const OPS = ['barrier', 'bcast', 'reduce', 'allreduce', 'gather', 'scatter', 'allgather', 'alltoall'];
export const COLL_SIZES = ['small', 1024, 1 << 20];

export async function collectivesSuite({ opts, setup, log }) {
  const cfg = { ops: OPS, sizes: COLL_SIZES, budget: opts.quick ? 0.04 : 0.2, maxIters: opts.quick ? 1000 : 5000 };
  const impls = {};
  const timeoutMs = opts.quick ? 90_000 : 180_000;
  const put = (id, p, v) => { (impls[id] ??= {})[p] = v; };

  for (const p of opts.ranks) {
    for (const t of opts.collTransports) {
      const id = `tsmpi-${t}`;
      if (!setup.tsmpiBuilt) { put(id, p, { missing: "the 'tsmpi' package is not built (npm run build)" }); continue; }
      log(`collectives: tsmpi -n ${p} --transport ${t}`);
      const r = await run(process.execPath, [setup.launcher, '-n', String(p), '--transport', t, join(BENCH, 'programs/collectives.mjs'), JSON.stringify(cfg)], { timeoutMs });
      put(id, p, results(outcome(r, `tsmpi -n ${p} --transport ${t}`)));
    }
    for (const btl of ['shm', 'tcp']) {
      const id = `mpi4py-${btl}`;
      if (setup.mpi.missing) { put(id, p, { missing: setup.mpi.missing }); continue; }
      log(`collectives: mpi4py -n ${p} (${btl})`);
      const r = await run(setup.mpi.mpirun, [...mpirunArgs(setup, btl, p), join(BENCH, 'mpi4py/collectives.py'), JSON.stringify(cfg)], { timeoutMs });
      put(id, p, results(outcome(r, `mpi4py -n ${p} (${btl})`)));
    }
  }
  return { config: cfg, impls };
}

/** The per-operation figures of a run's record (keeping its exit problem, if any). */
function results(rec) {
  if (rec.missing) return rec;
  return rec.exit_problem ? { ...rec.results, exit_problem: rec.exit_problem } : rec.results;
}
