// A program that never calls shutdown(): the pool must let it end (workers stopped, ranks finalized), not hang.
import { PoolExecutor } from 'tsmpi';
import { square } from '../../../packages/pool/test/fixtures/tasks.js';

const pool = await PoolExecutor.create();
console.log(`${(await pool.map(square, [1, 2, 3]).toArray()).join(',')} on ${pool.backend}`);
