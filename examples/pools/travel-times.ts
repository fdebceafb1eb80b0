// The pattern of a seismic travel-time code ported from Python (a multiprocessing or mpi4py.futures pool
// mapping a solver over sources): for each of many sources along the surface, compute the first-arrival
// travel-time field on a 2-D velocity grid (eikonal.ts, Dijkstra on a 16-neighbour stencil) as one task, then
// sum the fields. The fields are added in source order on the root, so the sum is the same, bit for bit, on
// every back end and any number of workers: the last line prints its statistics and the SHA-256 of its bytes.
// With --check the program also computes every field in process, without the pool, and asserts the same sum.
//
// Usage:  npx tsmpiexec -n 5 examples/pools/travel-times.ts [--check] [NX NZ SOURCES]   (default 200 100 48)
//         npx tsx examples/pools/travel-times.ts ...        (worker threads; TSMPI_POOL=serial: in process)
// Runs on any number of ranks. The back end and the time go to stderr.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PoolExecutor } from 'tsmpi';
import { layeredModel, travelTimeField } from './eikonal.js';

const executor = await PoolExecutor.create();
const { values, positionals } = parseArgs({ options: { check: { type: 'boolean', default: false } }, allowPositionals: true });
const [nx, nz, ns] = positionals.length > 0 ? positionals.map(Number) : [200, 100, 48];
assert([nx, nz, ns].every((x) => Number.isInteger(x) && x! > 1), `NX NZ SOURCES must be whole numbers above 1, not ${positionals.join(' ')}`);

const h = 0.1; // km
const model = layeredModel(nx!, nz!, h);
const sources = Array.from({ length: ns! }, (_, i) => [Math.floor(((i + 0.5) * nx!) / ns!), 0] as [number, number]);

const t0 = performance.now();
const sum = new Float64Array(nx! * nz!);
for await (const field of executor.starmap(travelTimeField, sources.map((s) => [model, s] as const))) {
  for (let i = 0; i < sum.length; i++) sum[i] += field[i]!;
}
const seconds = (performance.now() - t0) / 1000;
await executor.shutdown();

if (values.check) {
  const direct = new Float64Array(sum.length);
  for (const s of sources) {
    const field = travelTimeField(model, s);
    for (let i = 0; i < direct.length; i++) direct[i] += field[i]!;
  }
  assert.deepEqual(Buffer.from(sum.buffer), Buffer.from(direct.buffer), 'the pool\'s sum differs from the sum computed in process');
}

let min = Infinity, max = -Infinity, total = 0;
for (const x of sum) { min = Math.min(min, x); max = Math.max(max, x); total += x; }
const digest = createHash('sha256').update(Buffer.from(sum.buffer)).digest('hex');
process.stderr.write(`travel-times: ${executor.backend} back end, ${executor.numWorkers} worker(s), ${seconds.toFixed(2)} s\n`);
console.log(`travel-times: ${ns} sources on a ${nx}x${nz} grid (h = ${h} km)${values.check ? ', checked against the fields computed in process' : ''}`);
console.log(`summed field: min ${min.toFixed(6)} s, max ${max.toFixed(6)} s, mean ${(total / sum.length).toFixed(6)} s, sha256 ${digest}`);
