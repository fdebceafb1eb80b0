/**
 * Task pools through the real tsmpiexec: the executor's whole interface on the ranks back end, worker ranks
 * that serve and then exit cleanly, the scoped form inside an SPMD program, a worker that dies, and the
 * serial and local back ends chosen under the launcher. Every job is bounded in time and leaves no process.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, ROOT, runJob, type JobResult } from '../helpers/run-job.js';

const API_CHECK = join(ROOT, 'packages', 'pool', 'test', 'fixtures', 'api-check.ts');
const PROGRAMS = join(ROOT, 'test', 'pools', 'programs');
const TIMEOUT_MS = 60_000;
const describeRun = (r: JobResult) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${r.ms} ms\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const lines = (s: string) => s.split('\n').filter(Boolean);

/** A job with a unique marker in its environment, to find any process it leaves behind. */
async function job(args: string[], env: NodeJS.ProcessEnv = {}): Promise<JobResult> {
  const marker = `TSMPI_POOL_TEST=${randomBytes(6).toString('hex')}`;
  const [k, v] = marker.split('=') as [string, string];
  const r = await runJob(args, { timeoutMs: TIMEOUT_MS, env: { ...env, [k]: v, TSMPI_POOL: env.TSMPI_POOL } });
  expect(await leftovers(v)).toEqual([]);
  return r;
}

describe('pools on ranks (tsmpiexec)', () => {
  it('PoolExecutor.create on 4 ranks: the interface checks pass, and only rank 0 runs the program past it', async () => {
    const r = await job(['-n', '4', API_CHECK]);
    expect(r.code, describeRun(r)).toBe(0);
    const out = lines(r.stdout);
    expect(out.at(-1)).toBe('api-check: 12 checks passed on the ranks back end with 3 worker(s)');
    // Worker ranks exit inside PoolExecutor.create (with code 0): nothing after it runs twice.
    expect(out.filter((l) => l.startsWith('ok submit'))).toHaveLength(1);
    expect(r.stderr).toBe('');
  }, 2 * TIMEOUT_MS);

  it('withExecutor inside an SPMD program: workers get null, then every rank goes on', async () => {
    const r = await job(['-n', '4', join(PROGRAMS, 'scoped.ts'), '2']);
    expect(r.code, describeRun(r)).toBe(0);
    const out = lines(r.stdout);
    expect(out).toContain('root 2: served | served | 1,4,9,16,25 | served');
    expect(out.filter((l) => l.includes('continues after withExecutor')).sort()).toEqual([
      'rank 0 continues after withExecutor (served)',
      'rank 1 continues after withExecutor (served)',
      'rank 2 continues after withExecutor (1,4,9,16,25)',
      'rank 3 continues after withExecutor (served)',
    ]);
  }, 2 * TIMEOUT_MS);

  it('a root that never shuts the pool down still lets the job end', async () => {
    const r = await job(['-n', '3', join(PROGRAMS, 'no-shutdown.ts')]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toBe('1,4,9 on ranks\n');
  }, 2 * TIMEOUT_MS);

  it('a worker rank that exits in a task ends the job, naming the worker and the task', async () => {
    const r = await job(['-n', '3', join(PROGRAMS, 'worker-exit.ts'), '3']);
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stdout).toBe('squares 1,4,9\n');
    expect(r.stderr).toMatch(/tsmpi pool: worker rank [12] exited with code 3 while running task exitNow \(file:.*tasks\.ts\); the futures it held cannot complete, so the job ends\n/);
    expect(r.stderr).toMatch(/tsmpiexec: rank [12] \(pid \d+\) on \S+ exited with code 3/);
  }, 2 * TIMEOUT_MS);

  it('even with exit code 0: a worker gone in the middle of a task fails the job instead of leaving the root waiting', async () => {
    const r = await job(['-n', '3', join(PROGRAMS, 'worker-exit.ts'), '0']);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stderr).toMatch(/tsmpi pool: worker rank [12] exited with code 0 while running task exitNow/);
  }, 2 * TIMEOUT_MS);

  it('TSMPI_POOL=local under tsmpiexec: rank 0 runs worker threads, the other ranks wait and exit 0', async () => {
    const r = await job(['-n', '2', API_CHECK], { TSMPI_POOL: 'local', TSMPI_POOL_WORKERS: '2' });
    expect(r.code, describeRun(r)).toBe(0);
    expect(lines(r.stdout).at(-1)).toBe('api-check: 12 checks passed on the local back end with 2 worker(s)');
  }, 2 * TIMEOUT_MS);
});
