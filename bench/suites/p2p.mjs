/**
 * Point to point, 2 ranks: tsmpi on each transport, right after it the raw
 * Node echo on the same kind of socket and waiting the same way (polling or
 * sleeping, as tsmpi's ranks do by default here), then mpi4py over Open MPI's
 * default transport and over TCP. Then the small round trips once more with
 * tsmpi and the echo both waiting the other way (TSMPI_WAIT), to show what
 * the wait policy is worth.
 */
import { join } from 'node:path';
import { DEFAULT_POLL_US, shouldPoll, waitPolicy } from '@tsmpi/runtime';
import { outcome, run, startServer } from '../lib/proc.mjs';
import { BENCH } from '../lib/setup.mjs';
import { medianMerge } from '../lib/measure.mjs';

export const SIZES = [0, 8, 1024, 65536, 1 << 20, 1 << 24];
export const BW_SIZES = [1 << 20, 1 << 24];
/** Raw socket kind that is the limit for each tsmpi transport. */
export const RAW_KIND = { auto: 'unix', tcp: 'tcp', ws: 'ws' };
/** Sizes of the round trips measured with the other wait policy. */
export const OTHER_WAIT_SIZES = [0, 8, 1024];
/** Sizes of the paired rounds: the small round trips the targets are about (bench/lib/pairs.mjs). */
export const PAIR_SIZES = [0, 8];

/** How tsmpi's 2 ranks wait for messages on this machine, with the environment the bench runs in. */
export function defaultWait(env = process.env) {
  const { wait, pollUs } = waitPolicy(env);
  return shouldPoll(wait, 2, pollUs) ? 'poll' : 'block';
}

export async function p2pSuite({ opts, setup, log }) {
  const cfg = {
    sizes: SIZES, bwSizes: BW_SIZES, quick: opts.quick,
    budget: opts.quick ? 0.08 : 0.2, bwBudget: opts.quick ? 0.15 : 0.4, maxIters: 20000,
    modes: ['object', 'typed', 'buffer'], bwModes: ['typed', 'buffer', 'object'],
  };
  const timeoutMs = opts.quick ? 90_000 : 180_000;
  // Every tsmpi run is followed by its baseline, and the whole sequence repeats: each figure is the
  // median over the repetitions, so slow drift of the machine hits tsmpi and baselines alike.
  const runs = {};
  const keep = (id, rec) => (runs[id] ??= []).push(rec);
  const wait = defaultWait();
  const other = wait === 'poll' ? 'block' : 'poll';
  const otherCfg = { ...cfg, sizes: OTHER_WAIT_SIZES, bwSizes: [] };
  const otherEnv = { ...process.env, TSMPI_WAIT: other, TSMPI_POLL_US: String(waitPolicy(process.env).pollUs || DEFAULT_POLL_US) };
  for (let rep = 1; rep <= opts.repeat; rep++) {
    const of = opts.repeat > 1 ? ` (${rep}/${opts.repeat})` : '';
    for (const t of opts.transports) {
      log(`p2p: tsmpi --transport ${t}${of}`);
      const r = await tsmpiJob(setup, 2, t, 'p2p.mjs', cfg, { timeoutMs });
      keep(`tsmpi-${t}`, outcome(r, `tsmpi --transport ${t}`));
      const kind = RAW_KIND[t];
      log(`p2p: raw Node echo over ${kind} (${wait})${of}`);
      keep(`node-${kind}`, await raw(kind, cfg, timeoutMs, wait === 'poll'));
    }
    for (const t of opts.transports) {
      log(`p2p: tsmpi --transport ${t}, TSMPI_WAIT=${other}${of}`);
      const r = await tsmpiJob(setup, 2, t, 'p2p.mjs', otherCfg, { timeoutMs, env: otherEnv });
      keep(`tsmpi-${t}-${other}`, outcome(r, `tsmpi --transport ${t} (TSMPI_WAIT=${other})`));
      const kind = RAW_KIND[t];
      log(`p2p: raw Node echo over ${kind} (${other})${of}`);
      keep(`node-${kind}-${other}`, await raw(kind, otherCfg, timeoutMs, other === 'poll'));
    }
    for (const btl of ['shm', 'tcp']) {
      const id = `mpi4py-${btl}`;
      if (setup.mpi.missing) { keep(id, { missing: setup.mpi.missing }); continue; }
      log(`p2p: mpi4py, Open MPI ${btl === 'tcp' ? '--mca btl tcp,self' : 'default transport'}${of}`);
      const r = await mpi4pyJob(setup, btl, 2, 'p2p.py', cfg, { timeoutMs });
      keep(id, outcome(r, `mpi4py (${btl})`));
    }
  }
  const impls = Object.fromEntries(Object.entries(runs).map(([id, recs]) => [id, medianMerge(recs)]));
  const pairs = await pairedRounds({ opts, setup, log }, { ...cfg, sizes: PAIR_SIZES, bwSizes: [], bwModes: [] }, wait, timeoutMs);
  return { config: cfg, repeat: opts.repeat, wait, other, impls, pairs };
}

/**
 * The small round trips again, in short jobs: each round runs tsmpi on every
 * transport, each followed by its raw echo, then mpi4py over Open MPI's TCP,
 * within seconds; the targets take the median of each round's ratio.
 */
async function pairedRounds({ opts, setup, log }, cfg, wait, timeoutMs) {
  const rounds = [];
  for (let i = 1; i <= opts.pairs; i++) {
    const round = {};
    for (const t of opts.transports) {
      log(`p2p pairs: round ${i}/${opts.pairs}: tsmpi --transport ${t}, raw echo over ${RAW_KIND[t]}`);
      const r = await tsmpiJob(setup, 2, t, 'p2p.mjs', cfg, { timeoutMs });
      round[`tsmpi-${t}`] = outcome(r, `tsmpi --transport ${t}`);
      round[`node-${RAW_KIND[t]}`] = await raw(RAW_KIND[t], cfg, timeoutMs, wait === 'poll');
    }
    if (setup.mpi.missing) round['mpi4py-tcp'] = { missing: setup.mpi.missing };
    else {
      log(`p2p pairs: round ${i}/${opts.pairs}: mpi4py over Open MPI TCP`);
      const r = await mpi4pyJob(setup, 'tcp', 2, 'p2p.py', cfg, { timeoutMs });
      round['mpi4py-tcp'] = outcome(r, 'mpi4py (tcp)');
    }
    rounds.push(round);
  }
  return { config: cfg, rounds };
}

async function raw(kind, cfg, timeoutMs, poll) {
  const echo = join(BENCH, 'baselines/node-echo.mjs');
  const how = poll ? ['poll'] : [];
  let server;
  try {
    server = await startServer(process.execPath, [echo, 'serve', kind, ...how]);
    const r = await run(process.execPath, [echo, 'client', kind, server.address, JSON.stringify(cfg), ...how], { timeoutMs });
    return outcome(r, `raw ${kind} echo`);
  } catch (err) {
    return { missing: `raw ${kind} echo failed: ${err.message}` };
  } finally {
    server?.stop();
  }
}

/** Run `tsmpiexec -n np --transport t` of the bench program `program` (under bench/programs) with `cfg`. */
export function tsmpiJob(setup, np, t, program, cfg, opts) {
  return run(process.execPath, [setup.launcher, '-n', String(np), '--transport', t, join(BENCH, 'programs', program), JSON.stringify(cfg)], opts);
}

/** Run `mpirun -n np python3 script` (under bench/mpi4py) with `cfg`, over Open MPI's default transport or TCP. */
export function mpi4pyJob(setup, btl, np, script, cfg, opts) {
  return run(setup.mpi.mpirun, [...mpirunArgs(setup, btl, np), join(BENCH, 'mpi4py', script), JSON.stringify(cfg)], opts);
}

/** mpirun's arguments for `np` ranks of python on Open MPI's default transport or TCP. */
export function mpirunArgs(setup, btl, np) {
  return [...setup.mpi.args, ...(btl === 'tcp' ? ['--mca', 'btl', 'tcp,self'] : []), '-n', String(np), setup.mpi.python];
}
