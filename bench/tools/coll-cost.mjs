/**
 * What one collective call costs on each rank, next to a hand-written
 * point-to-point version of the same schedule (the floor the collectives
 * layer adds to):
 *
 *   node packages/tsmpi/dist/bin.js -n 4 bench/tools/coll-cost.mjs barrier,p2p-barrier 20000
 *
 * For each case: a warm-up of a fifth of the calls, then the calls; rank 0
 * prints the CPU time per call (user and system, mean over ranks) and the
 * slowest rank's wall time per call. Under `perf stat -e instructions:u`, the
 * difference between two call counts gives instructions per call.
 *
 * Cases: barrier, allreduce (one number), Allreduce-1k, Allreduce-1m,
 * Allgather-1k, bcast, Bcast-1k; Allreduce-f<N>, Allgather-f<N>, Bcast-f<N>, Reduce-f<N> (N float64s
 * per rank, to scan sizes); p2p-barrier and p2p-allreduce (a dissemination
 * / recursive-doubling schedule of Recv + Send with one-element Float64Arrays;
 * p2p-Sendrecv: the barrier's schedule through comm.Sendrecv; engine-barrier: the
 * same straight on the engine, the floor under any barrier; p2p-fanin: a barrier as fan-in to
 * rank 0 and fan-out from it; engine-fanin, engine-pairwise (exchange with rank ^ 2^k) and
 * engine-all (every rank signals every other, one round): other barrier schedules on the engine),
 * p2p-Allreduce-1k (the same with 1 KiB), p2p-send (send/recv of one
 * number in the same schedule). The p2p cases need a power-of-two size.
 */
import { init, finalize, SUM } from 'tsmpi';

const [cases = 'barrier', countArg = '10000'] = process.argv.slice(2);
const count = Number(countArg);
const comm = await init();
const p = comm.size, me = comm.rank;

function p2pAllreduce(n) {
  const acc = new Float64Array(n), other = new Float64Array(n);
  return async () => {
    acc.fill(me + 1);
    for (let m = 1; m < p; m *= 2) {
      const partner = me ^ m;
      // Receive posted first, then the send (settled at once when small): the cheapest exchange.
      const got = comm.Recv(other, partner, 1);
      await comm.Send(acc, partner, 1);
      await got;
      for (let i = 0; i < n; i++) acc[i] += other[i];
    }
  };
}

function runner(name) {
  const f64 = (n, v = 1) => new Float64Array(n).fill(v);
  switch (name) {
    case 'barrier': return () => comm.barrier();
    case 'allreduce': return () => comm.allreduce(me + 1, SUM);
    case 'bcast': return () => comm.bcast(me === 0 ? 42 : null, 0);
    case 'Bcast-1k': { const b = f64(128); return () => comm.Bcast(b, 0); }
    case 'Allreduce-1k': { const s = f64(128), r = f64(128, 0); return () => comm.Allreduce(s, r, SUM); }
    case 'Allreduce-1m': { const s = f64(131072), r = f64(131072, 0); return () => comm.Allreduce(s, r, SUM); }
    case 'Allgather-1k': { const s = f64(128), r = f64(128 * p, 0); return () => comm.Allgather(s, r); }
    case 'allgather': return () => comm.allgather(me);
    case 'engine-barrier': {
      // The floor under any barrier: the engine's own send and receive, one promise per round.
      const eng = comm.engine, ctx = comm.context, none = [];
      return async () => {
        for (let d = 1; d < p; d *= 2) {
          const got = new Promise((resolve) => eng.receive(ctx, (me - d + p) % p, 3, resolve));
          eng.send(ctx, (me + d) % p, 3, 14, none, 0);
          await got;
        }
      };
    }
    case 'engine-fanin': {
      // The engine floor of a fan-in to rank 0 and fan-out from it (2(p-1) signals).
      const eng = comm.engine, ctx = comm.context, none = [];
      return async () => {
        if (me === 0) {
          const got = [];
          for (let i = 1; i < p; i++) got.push(new Promise((resolve) => eng.receive(ctx, i, 3, resolve)));
          await Promise.all(got);
          for (let i = 1; i < p; i++) eng.send(ctx, i, 3, 14, none, 0);
        } else {
          const got = new Promise((resolve) => eng.receive(ctx, 0, 3, resolve));
          eng.send(ctx, 0, 3, 14, none, 0);
          await got;
        }
      };
    }
    case 'engine-all': {
      // The engine floor of a one-round barrier: every rank signals every other and waits for all (p(p-1) signals).
      const eng = comm.engine, ctx = comm.context, none = [];
      return async () => {
        const got = [];
        for (let i = 1; i < p; i++) got.push(new Promise((resolve) => eng.receive(ctx, (me - i + p) % p, 3, resolve)));
        for (let i = 1; i < p; i++) eng.send(ctx, (me + i) % p, 3, 14, none, 0);
        await Promise.all(got);
      };
    }
    case 'engine-pairwise': {
      // The engine floor of recursive doubling: exchange with rank ^ 2^k (power-of-two sizes).
      const eng = comm.engine, ctx = comm.context, none = [];
      return async () => {
        for (let d = 1; d < p; d *= 2) {
          const got = new Promise((resolve) => eng.receive(ctx, me ^ d, 3, resolve));
          eng.send(ctx, me ^ d, 3, 14, none, 0);
          await got;
        }
      };
    }
    case 'p2p-Sendrecv': {
      const s = new Float64Array(1), r = new Float64Array(1);
      return async () => {
        for (let d = 1; d < p; d *= 2) await comm.Sendrecv(s, (me + d) % p, 1, r, (me - d + p) % p, 1);
      };
    }
    case 'p2p-barrier': {
      const s = new Float64Array(1), r = new Float64Array(1);
      return async () => {
        for (let d = 1; d < p; d *= 2) {
          const got = comm.Recv(r, (me - d + p) % p, 1);
          await comm.Send(s, (me + d) % p, 1);
          await got;
        }
      };
    }
    case 'p2p-fanin': {
      // The barrier as a fan-in to rank 0 and a fan-out from it: 2(p-1) messages instead of p·log2(p).
      const s = new Float64Array(1), rs = Array.from({ length: p }, () => new Float64Array(1));
      return async () => {
        if (me === 0) {
          const got = [];
          for (let i = 1; i < p; i++) got.push(comm.Recv(rs[i], i, 1));
          await Promise.all(got);
          for (let i = 1; i < p; i++) await comm.Send(s, i, 1);
        } else {
          const got = comm.Recv(rs[0], 0, 1);
          await comm.Send(s, 0, 1);
          await got;
        }
      };
    }
    case 'p2p-allreduce': return p2pAllreduce(1);
    case 'p2p-Allreduce-1k': return p2pAllreduce(128);
    case 'p2p-send': {
      return async () => {
        let acc = me + 1;
        for (let m = 1; m < p; m *= 2) {
          const partner = me ^ m;
          const got = comm.recv(partner, 2);
          await comm.send(acc, partner, 2);
          acc += await got;
        }
      };
    }
    default: {
      // Allreduce-f<N> / Allgather-f<N>: N float64 elements per rank (scans message sizes).
      const m = /^(Allreduce|Allgather|Bcast|Reduce)-f(\d+)$/.exec(name);
      if (m) {
        const n = Number(m[2]), s = f64(n);
        if (m[1] === 'Allreduce') { const r = f64(n, 0); return () => comm.Allreduce(s, r, SUM); }
        if (m[1] === 'Reduce') { const r = f64(n, 0); return () => comm.Reduce(s, me === 0 ? r : null, SUM, 0); }
        if (m[1] === 'Allgather') { const r = f64(n * p, 0); return () => comm.Allgather(s, r); }
        return () => comm.Bcast(s, 0);
      }
      throw new Error(`unknown case ${name}`);
    }
  }
}

for (const name of cases.split(',')) {
  const run = runner(name);
  for (let i = 0; i < Math.ceil(count / 5); i++) await run();
  await comm.barrier();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await run();
  const wall = (performance.now() - t0) * 1000 / count;
  const c = process.cpuUsage(c0);
  const all = await comm.gather([wall, c.user / count, c.system / count], 0);
  if (me === 0) {
    const avg = (k) => all.reduce((t, x) => t + x[k], 0) / p;
    console.log(`${name.padEnd(18)} p=${p} wall ${Math.max(...all.map((x) => x[0])).toFixed(1).padStart(8)} µs  cpu user ${avg(1).toFixed(1).padStart(7)} sys ${avg(2).toFixed(1).padStart(7)} µs/call/rank`);
  }
}
await finalize();
