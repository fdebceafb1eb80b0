// Driver for mpi4py's tutorial "Parallel matrix-vector product" (matvec.py, ported in ./matvec.ts).
// The tutorial gives only the function; this driver gives each rank a block of m rows of A and the matching
// slice of x (rank r holds rows and entries r*m .. r*m+m-1), runs matvec (Allgather of x, then a local
// product), gathers y on rank 0 and checks it against the serial product A · x: same sums in the same
// order, so the two must agree exactly.
// Runs on any number of ranks:  npx tsmpiexec -n 4 examples/mpi4py-tutorial/10-matvec.ts [m]
import assert from 'node:assert/strict';
import { init } from 'tsmpi';
import { dot, matvec, type Matrix } from './matvec.js';

const comm = await init();
const p = comm.size;
const rank = comm.rank;
const m = Number(process.argv[2] ?? 50); // local rows per rank
assert.ok(Number.isInteger(m) && m > 0, `usage: 10-matvec.ts [rows per rank, a positive integer] (got ${process.argv[2]})`);
const n = m * p; // global size: A is n × n, x has n entries

// Deterministic entries, so any rank (and the serial check) can build any part of A and x.
const a = (i: number, j: number) => Math.sin(i + 1) * Math.cos(j) + (i === j ? n : 0);
const xi = (j: number) => 1 / (j + 1);

// This rank's block: rows r*m .. r*m+m-1 of A (all n columns), entries r*m .. r*m+m-1 of x.
const A: Matrix = { shape: [m, n], data: new Float64Array(m * n) };
const x = new Float64Array(m);
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) A.data[i * n + j] = a(rank * m + i, j);
  x[i] = xi(rank * m + i);
}

const y = await matvec(comm, A, x);
assert.equal(y.length, m);

// Collect y on rank 0 and compare with the serial product.
const yAll = rank === 0 ? new Float64Array(n) : null;
await comm.Gather(y, yAll, 0);
if (rank === 0) {
  assert.ok(yAll !== null);
  const full: Matrix = { shape: [n, n], data: new Float64Array(n * n) };
  const xFull = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) full.data[i * n + j] = a(i, j);
    xFull[i] = xi(i);
  }
  const serial = dot(full, xFull);
  assert.deepEqual(yAll, serial, 'the parallel product differs from the serial one');
  console.log(`matvec: ${n}x${n} matrix on ${p} ranks (${m} rows each) matches the serial product`);
}
