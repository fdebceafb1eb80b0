// Mirrors mpi4py's demo/compute-pi/cpi-cco.py (itself a port of MPICH's cpi.c): rank 0 reads the number of
// intervals n, broadcasts it, every rank integrates 4/(1+x^2) over its strided share of the n intervals with
// the midpoint rule, and the partial sums are reduced to rank 0, which prints
//   "pi is approximately %.16f, error is %.16f"
// and asks again, until n is 0.
//
// The original uses the buffer family (Bcast/Reduce of NumPy scalars); this port uses the value family
// (bcast/reduce of plain numbers) by default and the buffer family with --buffers. Both print the same digits
// as the original for the same n and the same number of ranks: for n = 100 (the value of mpi4py's tutorial)
// 3.1416009869231... (the last digit or two depend on the order in which the partial sums are added, i.e. on
// the number of ranks, exactly as in MPI).
//
// Usage:  npx tsmpiexec -n 4 examples/compute-pi.ts [--buffers] [n ...]
//   with n values: computes each of them, then quits;
//   without:       prompts on stdin as the original does (0, an empty line or end of input quits).
// Runs on any number of ranks.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { init, SUM } from 'tsmpi';

const comm = await init();
const nprocs = comm.size;
const myrank = comm.rank;

const args = process.argv.slice(2);
const buffers = args.includes('--buffers');
const given = args.filter((a) => a !== '--buffers').map(Number);
for (const n of given) assert.ok(Number.isInteger(n) && n >= 0, `usage: compute-pi.ts [--buffers] [n ...] with n a non-negative integer (got ${n})`);

/** The original's comp_pi: midpoint rule over intervals myrank+1, myrank+1+nprocs, ... of n. */
function compPi(n: number, rank = 0, size = 1): number {
  const h = 1.0 / n;
  let s = 0.0;
  for (let i = rank + 1; i <= n; i += size) {
    const x = h * (i - 0.5);
    s += 4.0 / (1.0 + x ** 2);
  }
  return s * h;
}

function prnPi(pi: number, PI: number): void {
  console.log(`pi is approximately ${pi.toFixed(16)}, error is ${Math.abs(pi - PI).toFixed(16)}`);
}

/** The original's get_n, on rank 0 only: the next n from the command line or from stdin. */
const nextN: () => Promise<number> = (() => {
  if (given.length > 0) {
    const queue = [...given, 0];
    return async () => queue.shift() ?? 0;
  }
  if (myrank !== 0) return async () => 0; // never called: only rank 0 reads
  let lines: AsyncIterator<string> | undefined;
  return async () => {
    // One line per prompt: tsmpiexec relays whole lines, so the prompt ends with a newline.
    console.log('Enter the number of intervals: (0 quits)');
    lines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const line = await lines.next();
    const n = line.done ? 0 : Number.parseInt(line.value, 10);
    const valid = Number.isInteger(n) && n > 0 ? n : 0;
    if (valid === 0) process.stdin.destroy(); // let the process exit
    return valid;
  };
})();

/** Checks the original leaves to the eye, as assertions (rank 0 only). */
function check(n: number, pi: number): void {
  // Same sum as a serial run up to the order of the additions: a few units in the last place.
  const serial = compPi(n);
  assert.ok(Math.abs(pi - serial) <= 1e-14 + 1e-16 * n, `pi = ${pi} but the serial sum is ${serial}`);
  // The midpoint rule's error for this integrand is about h^2/12.
  assert.ok(Math.abs(pi - Math.PI) <= 1 / (n * n) + 1e-14, `error ${Math.abs(pi - Math.PI)} too large for n = ${n}`);
  // The digits of mpi4py's tutorial for n = 100 (3.141600986923125), up to the summation order.
  if (n === 100) assert.ok(Math.abs(pi - 3.141600986923125) <= 4e-15, `n = 100 gives ${pi}, not 3.141600986923125`);
}

if (buffers) {
  // cpi-cco.py line by line: n, pi and mypi are one-element arrays.
  const n = new Int32Array(1);
  const pi = new Float64Array(1);
  const mypi = new Float64Array(1);
  for (;;) {
    if (myrank === 0) n.fill(await nextN());
    await comm.Bcast(n, 0);
    if (n[0] === 0) break;
    mypi.fill(compPi(n[0]!, myrank, nprocs));
    await comm.Reduce(mypi, pi, SUM, 0);
    if (myrank === 0) {
      prnPi(pi[0]!, Math.PI);
      check(n[0]!, pi[0]!);
    }
  }
} else {
  // The same with values: n and the partial sums are plain numbers.
  for (;;) {
    const n = await comm.bcast(myrank === 0 ? await nextN() : null, 0);
    assert.ok(typeof n === 'number');
    if (n === 0) break;
    const mypi = compPi(n, myrank, nprocs);
    const pi: number | null = await comm.reduce(mypi, SUM, 0);
    if (myrank === 0) {
      assert.ok(pi !== null);
      prnPi(pi, Math.PI);
      check(n, pi);
    } else {
      assert.equal(pi, null); // reduce returns null off the root
    }
  }
}
