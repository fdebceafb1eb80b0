/** Collectives at 2, 4 and 8 ranks (oversubscribed on small machines): tsmpi, then mpi4py shm and tcp. */
import { join } from 'node:path';
import { outcome, run } from '../lib/proc.mjs';
import { BENCH } from '../lib/setup.mjs';
import { medianMerge } from '../lib/measure.mjs';
import { mpirunArgs } from './p2p.mjs';

export const OPS = ['barrier', 'bcast', 'reduce', 'allreduce', 'gather', 'scatter', 'allgather', 'alltoall'];
export const COLL_SIZES = ['small', 1024, 1 << 20];

export async function collectivesSuite({ opts, setup, log }) {
  const cfg = { ops: OPS, sizes: COLL_SIZES, prewarm: opts.quick ? 100 : 2000, warmup: opts.quick ? 0.04 : 0.2, warmCalls: opts.quick ? 300 : 4000, warmupMax: opts.quick ? 0.2 : 2, budget: opts.quick ? 0.04 : 0.15, maxIters: opts.quick ? 1000 : 5000 };
  const impls = {};
  const timeoutMs = opts.quick ? 90_000 : 180_000;
  const put = (id, p, v) => { (impls[id] ??= {})[p] = v; };

  // As in p2p: tsmpi then its baselines, repeated; each figure is the median over the repetitions.
  const runs = {};
  const keep = (id, p, rec) => ((runs[id] ??= {})[p] ??= []).push(rec);
  for (const p of opts.ranks) {
    for (let rep = 1; rep <= opts.repeat; rep++) {
      const of = opts.repeat > 1 ? ` (${rep}/${opts.repeat})` : '';
      for (const t of opts.collTransports) {
        const id = `tsmpi-${t}`;
        if (!setup.tsmpiBuilt) { keep(id, p, { missing: "the 'tsmpi' package is not built (npm run build)" }); continue; }
        log(`collectives: tsmpi -n ${p} --transport ${t}${of}`);
        const r = await run(process.execPath, [setup.launcher, '-n', String(p), '--transport', t, join(BENCH, 'programs/collectives.mjs'), JSON.stringify(cfg)], { timeoutMs });
        keep(id, p, results(outcome(r, `tsmpi -n ${p} --transport ${t}`)));
      }
      for (const btl of ['shm', 'tcp']) {
        const id = `mpi4py-${btl}`;
        if (setup.mpi.missing) { keep(id, p, { missing: setup.mpi.missing }); continue; }
        log(`collectives: mpi4py -n ${p} (${btl})${of}`);
        const r = await run(setup.mpi.mpirun, [...mpirunArgs(setup, btl, p), join(BENCH, 'mpi4py/collectives.py'), JSON.stringify(cfg)], { timeoutMs });
        keep(id, p, results(outcome(r, `mpi4py -n ${p} (${btl})`)));
      }
    }
  }
  for (const [id, byP] of Object.entries(runs)) for (const [p, recs] of Object.entries(byP)) put(id, p, medianMerge(recs));
  return { config: cfg, repeat: opts.repeat, impls };
}

/** The per-operation figures of a run's record (keeping its exit problem, if any). */
function results(rec) {
  if (rec.missing) return rec;
  return rec.exit_problem ? { ...rec.results, exit_problem: rec.exit_problem } : rec.results;
}
