// A map long enough for a progress bar (about 1.5 s): run under a terminal, the bar must reach it through tsmpiexec.
import { PoolExecutor } from 'tsmpi';
import { later } from '../../../packages/pool/test/fixtures/tasks.js';

const pool = await PoolExecutor.create();
const inputs = Array.from({ length: 30 }, (_, i) => i);
const out = await pool.starmap(later, inputs.map((i) => [i, 100] as [number, number])).toArray();
console.log(`done ${out.length}`);
await pool.shutdown();
