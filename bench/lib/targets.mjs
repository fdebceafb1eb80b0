/**
 * The targets of issue 7, evaluated on one run's results. Each target is a
 * ratio of a tsmpi figure to a baseline measured in the same run (memory: the
 * peak over rest against the message size), with its limit and pass/miss.
 * A target whose suite did not run is left out; one whose baseline is missing
 * says so (never passes).
 *
 * The small round trips and the 4-rank collective targets are also measured
 * in paired rounds (bench/lib/pairs.mjs); where those ran, the target's
 * ratio is the median of the rounds' ratios and its figures the rounds'
 * medians, and the ratio of the suite's own medians is kept as `unpaired`.
 */
import { RAW_KIND } from '../suites/p2p.mjs';
import { MEMORY_BYTES } from '../suites/memory.mjs';
import { pairedFigures } from './pairs.mjs';

const MiB = 1 << 20;
/** "A few MiB" of slack over the message size for the memory target. */
export const MEMORY_SLACK_MiB = 4;

const get = (o, ...path) => path.reduce((x, k) => (x == null ? undefined : x[k]), o);

export function evaluateTargets(results, opts) {
  const out = [];
  const add = (t, paired) => {
    const { figure, baseline } = t;
    let status;
    if (figure === undefined && baseline === undefined && !paired) return;
    let ratio = figure !== undefined && baseline !== undefined ? figure / baseline : undefined;
    if (paired) {
      t = { ...t, figure: paired.figure, baseline: paired.baseline, unpaired: ratio, rounds: paired.rounds, round_ratios: paired.ratios };
      ratio = paired.ratio;
    } else if (figure === undefined) status = 'missing (tsmpi figure)';
    else if (baseline === undefined) status = 'missing baseline';
    if (!status) status = (t.atLeast ? ratio >= t.limit : ratio <= t.limit) ? 'pass' : 'MISS';
    out.push({ ...t, ratio, status });
  };

  const p2p = results.p2p?.impls;
  if (p2p) {
    const rounds = results.p2p.pairs?.rounds;
    const pairedRtt = (impl, mode, size, base, baseMode, baseSize) => pairedFigures(rounds, impl, base,
      (rec) => get(rec, 'rtt', mode, size, 'median_us'), (rec) => get(rec, 'rtt', baseMode, baseSize, 'median_us'));
    const rtt = (impl, mode, size) => get(p2p, impl, 'rtt', mode, size, 'median_us');
    const bw = (impl, mode, size) => get(p2p, impl, 'bw', mode, size, 'MBps');
    for (const t of opts.transports) {
      const raw = `node-${RAW_KIND[t]}`;
      for (const [mode, what, size] of [['object', 'small object {a,b,c}', 0], ['typed', '8 B Float64Array send/recv', 8], ['buffer', '8 B Float64Array Send/Recv', 8]]) {
        add({ id: `rtt-${mode}-${t}-vs-node`, text: `round trip, ${what}, ${t} ≤ 1.3× raw Node ${RAW_KIND[t]} (8 B)`, unit: 'µs', figure: rtt(`tsmpi-${t}`, mode, size), baseline: rtt(raw, 'raw', 8), limit: 1.3 },
          pairedRtt(`tsmpi-${t}`, mode, size, raw, 'raw', 8));
      }
    }
    for (const t of ['tcp', 'auto'].filter((x) => opts.transports.includes(x))) {
      add({ id: `rtt-object-${t}-vs-mpi4py-tcp`, text: `round trip, small object, tsmpi ${t} ≤ 1.0× mpi4py send/recv over Open MPI TCP`, unit: 'µs', figure: rtt(`tsmpi-${t}`, 'object', 0), baseline: rtt('mpi4py-tcp', 'object', 0), limit: 1.0 },
        pairedRtt(`tsmpi-${t}`, 'object', 0, 'mpi4py-tcp', 'object', 0));
    }
    for (const t of opts.transports) {
      const raw = `node-${RAW_KIND[t]}`;
      for (const [mode, what] of [['typed', 'send/recv'], ['buffer', 'Send/Recv']]) {
        add({ id: `bw16-${mode}-${t}-vs-node`, text: `16 MiB Float64Array ${what} bandwidth, ${t} ≥ 0.8× raw Node ${RAW_KIND[t]}`, unit: 'MB/s', figure: bw(`tsmpi-${t}`, mode, 1 << 24), baseline: bw(raw, 'raw', 1 << 24), limit: 0.8, atLeast: true });
      }
    }
    for (const [t, btl] of [['tcp', 'tcp'], ['auto', 'shm']].filter(([x]) => opts.transports.includes(x))) {
      add({ id: `bw16-typed-${t}-vs-mpi4py-${btl}`, text: `16 MiB Float64Array send/recv bandwidth, tsmpi ${t} ≥ 1.5× mpi4py pickled ndarray over Open MPI ${btl}`, unit: 'MB/s', figure: bw(`tsmpi-${t}`, 'typed', 1 << 24), baseline: bw(`mpi4py-${btl}`, 'typed', 1 << 24), limit: 1.5, atLeast: true });
    }
  }

  const coll = results.collectives?.impls;
  if (coll && opts.ranks.includes(4)) {
    const t = opts.collTransports[0];
    const us = (impl, op, size) => get(coll, impl, 4, op, size, 'us');
    const rounds = results.collectives.pairs?.ranks === 4 ? results.collectives.pairs.rounds : undefined;
    const paired = (op, size) => pairedFigures(rounds, `tsmpi-${t}`, 'mpi4py-tcp', (rec) => get(rec, op, size, 'us'));
    add({ id: 'allreduce-1MiB-4', text: `Allreduce of a 1 MiB Float64Array, 4 ranks (tsmpi ${t}) ≤ 1.5× mpi4py Allreduce over TCP`, unit: 'µs', figure: us(`tsmpi-${t}`, 'allreduce', 1 << 20), baseline: us('mpi4py-tcp', 'allreduce', 1 << 20), limit: 1.5 }, paired('allreduce', 1 << 20));
    add({ id: 'allreduce-number-4', text: `allreduce of one number, 4 ranks (tsmpi ${t}) ≤ 1.0× mpi4py over TCP`, unit: 'µs', figure: us(`tsmpi-${t}`, 'allreduce', 'small'), baseline: us('mpi4py-tcp', 'allreduce', 'small'), limit: 1.0 }, paired('allreduce', 'small'));
    add({ id: 'barrier-4', text: `barrier, 4 ranks (tsmpi ${t}) ≤ 1.0× mpi4py over TCP`, unit: 'µs', figure: us(`tsmpi-${t}`, 'barrier', 'small'), baseline: us('mpi4py-tcp', 'barrier', 'small'), limit: 1.0 }, paired('barrier', 'small'));
  }

  const st = results.startup?.impls;
  if (st) {
    const ms = (id) => st[id]?.median_ms;
    add({ id: 'startup-js', text: 'tsmpiexec -n 4 hello.mjs ≤ 1.0× mpirun -n 4 mpi4py hello', unit: 'ms', figure: ms('tsmpiexec-js'), baseline: ms('mpirun-mpi4py'), limit: 1.0 });
    add({ id: 'startup-ts', text: 'tsmpiexec -n 4 hello.ts ≤ 1.5× mpirun -n 4 mpi4py hello', unit: 'ms', figure: ms('tsmpiexec-ts'), baseline: ms('mpirun-mpi4py'), limit: 1.5 });
  }

  const mem = results.memory?.impls;
  if (mem) {
    const n = MEMORY_BYTES / MiB;
    for (const t of opts.transports) {
      for (const [mode, what] of [['typed', 'recv()'], ['buffer', 'Recv() into a preallocated array']]) {
        const over = get(mem, `tsmpi-${t}`, 'receiver', mode, 'over_rest_MiB');
        // Figure and limit in MiB: the ratio is the peak over rest against N + slack.
        add({ id: `memory-${mode}-${t}`, text: `peak over rest receiving ${n} MiB by ${what}, ${t} ≤ N + ${MEMORY_SLACK_MiB} MiB`, unit: 'MiB', figure: over, baseline: n + MEMORY_SLACK_MiB, limit: 1.0 });
      }
    }
  }
  return out;
}
