/** The collective suite through the real tsmpiexec, on 1, 2, 3, 4, 5 and 8 processes. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, leftovers, runJob } from '../helpers/run-job.js';

const SUITE = join(PROGRAMS, 'collectives-suite.ts');

describe('collectives through tsmpiexec', () => {
  for (const n of [1, 2, 3, 4, 5, 8]) {
    it(`passes on ${n} process${n > 1 ? 'es' : ''}`, async () => {
      const marker = `coll-suite-${n}-${process.pid}-${Date.now()}`;
      const r = await runJob(['-n', String(n), '--timeout', '90', SUITE, marker], { timeoutMs: 120_000 });
      expect(r.stdout + r.stderr).not.toMatch(/FAILED/);
      expect(r.code, r.stderr).toBe(0);
      expect(await leftovers(marker)).toEqual([]);
    }, 150_000);
  }
  it('passes over ws on 3 processes', async () => {
    const r = await runJob(['-n', '3', '--transport', 'ws', '--timeout', '90', SUITE], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
  }, 150_000);
});
