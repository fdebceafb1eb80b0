// A task that ends its worker's process with the given code (argument 1): the job must end, with a message
// naming the worker and the task, not hang.
import { PoolExecutor } from 'tsmpi';
import { exitNow, square } from '../../../packages/pool/test/fixtures/tasks.js';

const code = Number(process.argv[2] ?? 3);
const pool = await PoolExecutor.create({ onWorkerExit: process.env.ON_WORKER_EXIT === 'continue' ? 'continue' : undefined });
console.log(`squares ${(await pool.map(square, [1, 2, 3]).toArray()).join(',')}`);
const doomed = pool.submit(exitNow, code);
try {
  await doomed;
  console.log('unexpected: the task returned');
} catch (err) {
  console.log(`the future failed: ${(err as { code?: string }).code}: ${(err as Error).message}`);
}
// With onWorkerExit: 'continue' the pool goes on.
console.log(`after ${(await pool.map(square, [4, 5]).toArray()).join(',')}`);
await pool.shutdown();
