/** The serial back end (TSMPI_POOL=serial): the whole interface, run as a user runs a script, without tsmpiexec. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendEnv, FIXTURES, ROOT, runNode } from './helpers/run-node.js';

const describeRun = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

describe('serial back end', () => {
  it('passes the interface checks with one in-process worker', async () => {
    const r = await runNode(join(FIXTURES, 'api-check.ts'), [], { env: backendEnv('serial') });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('api-check: 12 checks passed on the serial back end with 1 worker(s)');
    expect(r.stderr).toBe('');
  }, 60_000);

  it('a task that ends the process ends the program, as any code of it would', async () => {
    const r = await runNode(join(ROOT, 'test', 'pools', 'programs', 'worker-exit.ts'), ['3'], { env: backendEnv('serial') });
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stdout).toBe('squares 1,4,9\n');
  }, 60_000);
});
