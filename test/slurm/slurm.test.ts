/**
 * tsmpiexec inside a real (one-node) Slurm allocation: hosts and slots come
 * from SLURM_JOB_NODELIST/SLURM_TASKS_PER_NODE, agents start with srun.
 * Needs root and slurm-wlm + munge; otherwise skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Slurm, slurmUnavailable, startSlurm } from '../helpers/slurm-cluster.js';
import { PROGRAMS, ROOT, TSMPIEXEC } from '../helpers/run-job.js';

const why = slurmUnavailable();
if (why) console.warn(`Slurm tests skipped: ${why}`);
const JOB = join(PROGRAMS, 'multihost-job.ts');

describe.skipIf(!!why)('Slurm (one node, real slurmctld/slurmd)', () => {
  let s: Slurm;
  beforeAll(() => { s = startSlurm(); }, 60_000);
  afterAll(() => { s?.teardown(); });

  it('runs a job inside salloc, with hosts and slots from the allocation and agents started by srun', () => {
    const map = spawnSync('salloc', ['-n', '2', process.execPath, TSMPIEXEC, '--display-map', JOB], { cwd: ROOT, env: s.env, encoding: 'utf8', timeout: 60_000 });
    expect(map.status, map.stderr).toBe(0);
    expect(map.stdout).toMatch(/2 ranks on 1 host \(from the Slurm allocation; launcher slurm\)/);
    const r = spawnSync('salloc', ['-n', '2', process.execPath, TSMPIEXEC, '--tag-output', JOB, 'ok'], { cwd: ROOT, env: s.env, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[0\] rank 0 of 2 ok/);
    expect(r.stdout).toMatch(/\[1\] rank 1 of 2 ok/);
  }, 120_000);

  it('a failing rank inside salloc gives its exit code', () => {
    const r = spawnSync('salloc', ['-n', '2', process.execPath, TSMPIEXEC, JOB, 'fail-remote'], { cwd: ROOT, env: s.env, encoding: 'utf8', timeout: 90_000 });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/rank 1 \(pid \d+\) on \S+ exited with code 5/);
  }, 120_000);

  it('runs a job submitted with sbatch', () => {
    const out = join(s.dir, 'out.txt');
    const script = join(s.dir, 'job.sh');
    writeFileSync(script, `#!/bin/bash\n#SBATCH -n 2\n#SBATCH -o ${out}\ncd ${ROOT}\n${process.execPath} ${TSMPIEXEC} ${JOB} ok\necho "tsmpiexec exit $?"\n`);
    const r = spawnSync('sbatch', ['--wait', script], { env: s.env, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('rank 0 of 2 ok');
    expect(text).toContain('rank 1 of 2 ok');
    expect(text).toContain('tsmpiexec exit 0');
  }, 120_000);
});
