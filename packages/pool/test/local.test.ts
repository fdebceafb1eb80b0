/**
 * The local back end (worker threads, no launcher): the whole interface, TypeScript task modules in the
 * threads, and what happens when a worker thread dies.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendEnv, FIXTURES, ROOT, runNode } from './helpers/run-node.js';

const WORKER_EXIT = join(ROOT, 'test', 'pools', 'programs', 'worker-exit.ts');
const describeRun = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

describe('local back end', () => {
  it('passes the interface checks on 3 worker threads', async () => {
    const r = await runNode(join(FIXTURES, 'api-check.ts'), [], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '3' }) });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('api-check: 12 checks passed on the local back end with 3 worker(s)');
    expect(r.stderr).toBe('');
  }, 60_000);

  it('by default, a worker thread that dies fails its futures with a clear error, then ends the program', async () => {
    const r = await runNode(WORKER_EXIT, ['3'], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '2' }) });
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.stdout).toMatch(/^squares 1,4,9\nthe future failed: TSMPI_ERR_RANK_FAILED: pool worker [12] \(worker thread\) exited with code 3 while running task exitNow \(file:.*tasks\.ts\); the tasks it held cannot complete/);
    expect(r.stdout).not.toMatch(/after/);
    expect(r.stderr).toMatch(/tsmpi pool: worker [12] \(worker thread\) exited with code 3 while running task exitNow .*; 1 future\(s\) it held failed\. Ending the program \(exit 1\); start the executor with \{ onWorkerExit: "continue" \}/);
  }, 60_000);

  it('with onWorkerExit: "continue", only its futures fail and a new thread takes its place', async () => {
    const r = await runNode(WORKER_EXIT, ['0'], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '2', ON_WORKER_EXIT: 'continue' }) });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/the future failed: TSMPI_ERR_RANK_FAILED: pool worker [12] \(worker thread\) exited with code 0 while running task exitNow/);
    expect(r.stdout).toMatch(/\nafter 16,25\n$/);
  }, 60_000);

  it('a program that never shuts its pool down still ends', async () => {
    const r = await runNode(join(ROOT, 'test', 'pools', 'programs', 'no-shutdown.ts'), [], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '2' }) });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toBe('1,4,9 on local\n');
  }, 60_000);

  it('rejects a bad number of worker threads', async () => {
    const r = await runNode(join(FIXTURES, 'api-check.ts'), [], { env: backendEnv('local', { TSMPI_POOL_WORKERS: '0' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TSMPI_POOL_WORKERS=0: the number of worker threads must be a whole number of at least 1/);
  }, 60_000);
});
