/**
 * The point-to-point measurement plan, shared by the tsmpi rank program and
 * the raw Node echo client so both run exactly the same patterns (the mpi4py
 * program, bench/mpi4py/p2p.py, follows the same plan in Python).
 *
 * For every mode and size: a warm-up, whose mean sets the number of timed
 * iterations (to fill the time budget), then the timed ping-pong; the figure
 * is the median round trip. One-way bandwidth: `n` messages sent back to back
 * (each send awaited, as a user loop would), then a one-byte acknowledgement;
 * MB/s = n × size / elapsed (MB = 10^6 bytes).
 */
import { iterationsFor, mean, minItersFor, summarize, warmupFor } from './measure.mjs';

/**
 * @param cfg  { sizes, bwSizes, budget, bwBudget, quick, maxIters }
 * @param impl { rttModes, bwModes, rtt(mode, size, n) → ms per iteration[], bw(mode, size, n) → elapsed ms }
 */
export async function driveP2P(cfg, impl) {
  const out = { rtt: {}, bw: {} };
  // Warm every code path up (JIT) before the first timed cell, so the order of the cells does not matter.
  for (const mode of impl.rttModes) await impl.rtt(mode, 8, cfg.quick ? 1000 : 3000);
  for (const mode of impl.rttModes) {
    for (const size of cfg.sizes) {
      const warm = await impl.rtt(mode, size, warmupFor(size, cfg.quick));
      const min = cfg.quick ? Math.ceil(minItersFor(size) / 2) : minItersFor(size);
      const n = iterationsFor(mean(warm), cfg.budget, min, cfg.maxIters);
      const c0 = process.cpuUsage();
      const times = await impl.rtt(mode, size, n);
      const c = process.cpuUsage(c0);
      // CPU time (user + system) of this process per round trip: what a message costs, whatever the load.
      (out.rtt[mode] ??= {})[size] = { ...summarize(times), cpu_us: (c.user + c.system) / n };
    }
  }
  for (const mode of impl.bwModes) {
    for (const size of cfg.bwSizes) {
      const w = size >= 1 << 24 ? 2 : 8;
      const warmMs = await impl.bw(mode, size, w);
      const n = iterationsFor(warmMs / w, cfg.bwBudget, cfg.quick ? 3 : 6, 5000);
      const ms = await impl.bw(mode, size, n);
      (out.bw[mode] ??= {})[size] = { MBps: (n * size) / (ms / 1000) / 1e6, n };
    }
  }
  return out;
}

/** The small object of the anchors, carrying `size` bytes of float64 data when size > 0. */
export function objectPayload(size) {
  const o = { a: 1, b: 'x', c: [1, 2, 3] };
  if (size > 0) o.data = new Float64Array(size / 8).fill(1.5);
  return o;
}
