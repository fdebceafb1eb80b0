/**
 * Tiny tasks for bench/pool-throughput.mjs: `inc(x) = x + 1`, submitted N at
 * a time (futures) and mapped (chunksize 1), after a warm-up. Prints one JSON line.
 * Usage: tiny-tasks.mjs [N] [PREFETCH]   (PREFETCH: 'auto', the default, or a number; 0 = one task per worker)
 */
import { PoolExecutor, defineTask } from '../../packages/tsmpi/dist/index.js';

export function inc(x) { return x + 1; }
defineTask(import.meta.url, inc);

const n = Number(process.argv[2] ?? 20000);
const prefetch = process.argv[3] === undefined || process.argv[3] === 'auto' ? 'auto' : Number(process.argv[3]);
const pool = await PoolExecutor.create({ prefetch });
// Warm-up (both phases, as in tiny_tasks.py): the JIT, the connections, the measured run time of inc.
await pool.map(inc, Array.from({ length: 2000 }, (_, i) => i)).toArray();
await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.submit(inc, i)));

let t0 = performance.now();
const fs = [];
for (let i = 0; i < n; i++) fs.push(pool.submit(inc, i));
let sum = 0;
for (const f of fs) sum += await f;
const submitS = (performance.now() - t0) / 1000;
if (sum !== n * (n + 1) / 2) throw new Error(`wrong sum ${sum}`);

t0 = performance.now();
let count = 0;
for await (const v of pool.map(inc, Array.from({ length: n }, (_, i) => i))) count += v > 0 ? 1 : 0;
const mapS = (performance.now() - t0) / 1000;
if (count !== n) throw new Error(`wrong count ${count}`);

console.log(JSON.stringify({ impl: 'tsmpi', backend: pool.backend, prefetch, workers: pool.numWorkers, n, submit: n / submitS, map: n / mapS }));
await pool.shutdown();
