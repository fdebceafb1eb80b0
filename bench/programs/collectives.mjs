/**
 * Collectives benchmark on any number of ranks. For each operation and size:
 * a short probe on every rank, which the root turns into a warm-up count and
 * an iteration count (bcast), the warm-up, then a timed loop; the figure is the slowest rank's mean time
 * per operation (max over ranks, as OSU reports). The record also keeps the
 * mean CPU time per operation and rank (`cpu_us`).
 *
 * Sizes: `small` — a single number through the value family (scatter/alltoall:
 * a list of one number per rank); a byte count — Float64Arrays through the
 * buffer family, the count being each rank's block (bcast/reduce/allreduce: the
 * whole buffer; gather/allgather/alltoall/scatter: one block per rank).
 */
import { init, finalize, SUM } from 'tsmpi';
import { config, emit, iterationsFor, now } from '../lib/measure.mjs';

const cfg = config();
const comm = await init();
const p = comm.size, me = comm.rank;
const f64 = (n, v = 1) => new Float64Array(n).fill(v);

function runner(op, size) {
  if (size === 'small') {
    switch (op) {
      case 'barrier': return () => comm.barrier();
      case 'bcast': return () => comm.bcast(me === 0 ? 42 : null, 0);
      case 'reduce': return () => comm.reduce(me + 1, SUM, 0);
      case 'allreduce': return () => comm.allreduce(me + 1, SUM);
      case 'gather': return () => comm.gather(me, 0);
      case 'scatter': { const v = Array.from({ length: p }, (_, i) => i); return () => comm.scatter(me === 0 ? v : null, 0); }
      case 'allgather': return () => comm.allgather(me);
      case 'alltoall': { const v = Array.from({ length: p }, (_, i) => i); return () => comm.alltoall(v); }
    }
  } else {
    const n = size / 8;
    switch (op) {
      case 'bcast': { const b = f64(n); return () => comm.Bcast(b, 0); }
      case 'reduce': { const s = f64(n), r = me === 0 ? f64(n, 0) : null; return () => comm.Reduce(s, r, SUM, 0); }
      case 'allreduce': { const s = f64(n), r = f64(n, 0); return () => comm.Allreduce(s, r, SUM); }
      case 'gather': { const s = f64(n), r = me === 0 ? f64(n * p, 0) : null; return () => comm.Gather(s, r, 0); }
      case 'scatter': { const s = me === 0 ? f64(n * p) : null, r = f64(n, 0); return () => comm.Scatter(s, r, 0); }
      case 'allgather': { const s = f64(n), r = f64(n * p, 0); return () => comm.Allgather(s, r); }
      case 'alltoall': { const s = f64(n * p), r = f64(n * p, 0); return () => comm.Alltoall(s, r); }
    }
  }
  return undefined;
}

/**
 * The calls of every loop below. A loop that awaits in the module's body makes
 * V8 optimize the whole body once the loop is hot (an async module body resumes
 * at every await): a ~45 ms compile per rank, competing with 4 ranks on 2 cores,
 * given up at the loop's end and done again at the next loop. Timed that way,
 * a 4-rank barrier measured 56-72 µs against 39-43 µs in a function of its own.
 */
async function repeat(run, n) {
  for (let i = 0; i < n; i++) await run();
}

const probeFor = (size) => (size === 'small' ? 50 : size <= 1024 ? 20 : 3);
// Pre-warm: every operation on one number, cfg.prewarm calls each, so the paths all of them share
// (encode, send, match, decode) have run a few thousand times before anything is timed.
for (const op of cfg.ops) {
  const run = runner(op, 'small');
  await repeat(run, cfg.prewarm);
}
const results = {};
for (const op of cfg.ops) {
  for (const size of op === 'barrier' ? ['small'] : cfg.sizes) {
    const run = runner(op, size);
    if (!run) continue;
    await comm.barrier();
    // A short probe sets both counts: a warm-up of cfg.warmup seconds and at least cfg.warmCalls calls
    // where they fit in cfg.warmupMax seconds, then the timed loop. V8 needs several thousand calls
    // to optimize a code path fully, and the buffer family's paths (typed arrays of every size) are
    // not run by the one-number pre-warm: with 0.2 s alone a 1 KiB Allreduce on 4 ranks was timed
    // over its calls ~250-450, at 2-3x the CPU of its steady state (coll-cost.mjs).
    const w = probeFor(size);
    let t0 = now();
    await repeat(run, w);
    const estimate = (now() - t0) / w;
    const warmCalls = Math.max(iterationsFor(estimate, cfg.warmup, 0, 20000), iterationsFor(estimate, cfg.warmupMax, 0, cfg.warmCalls));
    const [warm, n] = await comm.bcast(me === 0 ? [warmCalls, iterationsFor(estimate, cfg.budget, 3, cfg.maxIters)] : null, 0);
    await repeat(run, warm);
    await comm.barrier();
    const c0 = process.cpuUsage();
    t0 = now();
    await repeat(run, n);
    const mine = (now() - t0) / n;
    const c = process.cpuUsage(c0);
    const all = await comm.gather([mine, (c.user + c.system) / n], 0);
    if (me === 0) {
      const times = all.map((x) => x[0]), cpu = all.map((x) => x[1]);
      // cpu_us: CPU time (user + system) per operation, mean over ranks — what an operation costs, whatever the load.
      (results[op] ??= {})[size] = { us: Math.max(...times) * 1000, mean_us: (times.reduce((a, b) => a + b, 0) / p) * 1000, cpu_us: cpu.reduce((a, b) => a + b, 0) / p, n };
    }
  }
}
if (me === 0) emit({ kind: 'collectives', ranks: p, results });
await finalize();
