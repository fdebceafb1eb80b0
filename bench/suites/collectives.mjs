/** Collectives at 2, 4 and 8 ranks (oversubscribed on small machines): tsmpi, then mpi4py shm and tcp. */
import { outcome } from '../lib/proc.mjs';
import { medianMerge } from '../lib/measure.mjs';
import { mpi4pyJob, tsmpiJob } from './p2p.mjs';

export const OPS = ['barrier', 'bcast', 'reduce', 'allreduce', 'gather', 'scatter', 'allgather', 'alltoall'];
export const COLL_SIZES = ['small', 1024, 1 << 20];
/** The target cells, measured again in paired rounds (bench/lib/pairs.mjs): their operations, sizes and rank count. */
export const PAIR_OPS = ['barrier', 'allreduce'];
export const PAIR_SIZES = ['small', 1 << 20];
export const PAIR_RANKS = 4;
/**
 * The paired rounds' warm-up cap (s). The 1 MiB Allreduce's code reaches its steady state in V8 after
 * ~1,500 calls on 4 ranks (its first 500 calls take about twice as long); the suite's 2 s cap gives it
 * 600-900 calls, and a cap this long on every 1 MiB cell of the suite would add minutes to it. The
 * warm-up count is what the 3-call probe's estimate (cold calls, 2.4-5 ms) fits in the cap: 1,600-3,300.
 */
export const PAIR_WARMUP_MAX_S = 8;

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
        const r = await tsmpiJob(setup, p, t, 'collectives.mjs', cfg, { timeoutMs });
        keep(id, p, results(outcome(r, `tsmpi -n ${p} --transport ${t}`)));
      }
      for (const btl of ['shm', 'tcp']) {
        const id = `mpi4py-${btl}`;
        if (setup.mpi.missing) { keep(id, p, { missing: setup.mpi.missing }); continue; }
        log(`collectives: mpi4py -n ${p} (${btl})${of}`);
        const r = await mpi4pyJob(setup, btl, p, 'collectives.py', cfg, { timeoutMs });
        keep(id, p, results(outcome(r, `mpi4py -n ${p} (${btl})`)));
      }
    }
  }
  for (const [id, byP] of Object.entries(runs)) for (const [p, recs] of Object.entries(byP)) put(id, p, medianMerge(recs));
  const pairs = opts.ranks.includes(PAIR_RANKS) ? await pairedRounds({ opts, setup, log }, { ...cfg, ops: PAIR_OPS, sizes: PAIR_SIZES, warmupMax: opts.quick ? cfg.warmupMax : PAIR_WARMUP_MAX_S }, timeoutMs) : undefined;
  return { config: cfg, repeat: opts.repeat, impls, pairs };
}

/**
 * The target cells again in short jobs on PAIR_RANKS ranks: each round runs
 * tsmpi, then mpi4py over Open MPI's TCP right after it; the targets take
 * the median of each round's ratio.
 */
async function pairedRounds({ opts, setup, log }, cfg, timeoutMs) {
  const rounds = [];
  const p = String(PAIR_RANKS), t = opts.collTransports[0];
  for (let i = 1; i <= opts.pairs; i++) {
    const round = {};
    if (!setup.tsmpiBuilt) round[`tsmpi-${t}`] = { missing: "the 'tsmpi' package is not built (npm run build)" };
    else {
      log(`collectives pairs: round ${i}/${opts.pairs}: tsmpi -n ${p} --transport ${t}`);
      const r = await tsmpiJob(setup, p, t, 'collectives.mjs', cfg, { timeoutMs });
      round[`tsmpi-${t}`] = results(outcome(r, `tsmpi -n ${p} --transport ${t}`));
    }
    if (setup.mpi.missing) round['mpi4py-tcp'] = { missing: setup.mpi.missing };
    else {
      log(`collectives pairs: round ${i}/${opts.pairs}: mpi4py -n ${p} (tcp)`);
      const r = await mpi4pyJob(setup, 'tcp', PAIR_RANKS, 'collectives.py', cfg, { timeoutMs });
      round['mpi4py-tcp'] = results(outcome(r, `mpi4py -n ${p} (tcp)`));
    }
    rounds.push(round);
  }
  return { config: cfg, ranks: PAIR_RANKS, rounds };
}

/** The per-operation figures of a run's record (keeping its exit problem, if any). */
function results(rec) {
  if (rec.missing) return rec;
  return rec.exit_problem ? { ...rec.results, exit_problem: rec.exit_problem } : rec.results;
}
