// Mirrors mpi4py's demo/futures/run_cpi.py: pi by the midpoint rule, computed by all the pool's workers
// together. Each of the numWorkers tasks asks for the communicator among the workers
// (getCommWorkers(), mpi4py's get_comm_workers()), integrates 4/(1+x^2) over its strided share of the
// n intervals, and the workers allreduce their partial sums; every task returns the same pi, and the root
// prints
//   "pi: %.15f, error: %.3e (n intervals, P workers)"
//
// Tasks that talk to each other need one worker each: submit exactly executor.numWorkers of them (the pool
// never queues a task that uses getCommWorkers() behind another on the same worker).
//
// Usage:  npx tsmpiexec -n 5 examples/pools/pi.ts [n]      (n defaults to 256, as in the original)
//         npx tsx examples/pools/pi.ts [n]                  (worker threads; TSMPI_POOL=serial: in process)
// Runs on any number of ranks (on one rank the pool runs its single task in process).
import assert from 'node:assert/strict';
import { defineTask, getCommWorkers, PoolExecutor, SUM } from 'tsmpi';

export async function computePi(n: number): Promise<number> {
  const comm = getCommWorkers();
  await comm.barrier();
  n = await comm.bcast(n, 0);
  const h = 1.0 / n;
  let s = 0.0;
  for (let i = comm.rank + 1; i <= n; i += comm.size) {
    const x = h * (i - 0.5);
    s += 4.0 / (1.0 + x ** 2);
  }
  return comm.allreduce(s * h, SUM);
}
// A task of the main script: registered, so that workers (which run this file too) find it.
defineTask(import.meta.url, computePi);

const executor = await PoolExecutor.create();
const n = Number(process.argv[2] ?? 256);
assert(Number.isInteger(n) && n > 0, `n must be a positive whole number, not ${process.argv[2]}`);
const P = executor.numWorkers;
const fs = Array.from({ length: P }, () => executor.submit(computePi, n));
const values = await Promise.all(fs);
const pi = values[0]!;
// Every worker took part in the allreduce, so every task returned the same value.
assert(values.every((v) => v === pi), `the workers disagree: ${values.join(', ')}`);
// Python's "%.3e" writes at least two exponent digits.
const error = Math.abs(pi - Math.PI).toExponential(3).replace(/e([+-])(\d)$/, 'e$10$2');
console.log(`pi: ${pi.toFixed(15)}, error: ${error} (${n} intervals, ${P} workers)`);
await executor.shutdown();
