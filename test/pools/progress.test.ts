/**
 * The progress bar of a long map reaches the terminal through tsmpiexec (which
 * tells rank 0 its stderr ends on a terminal and passes redraw lines through),
 * and stays off when the output is not a terminal. `script` gives the job a
 * real pseudo-terminal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TSMPIEXEC, runJob } from '../helpers/run-job.js';

const PROGRAM = join(ROOT, 'test', 'pools', 'programs', 'progress.ts');
const SCRIPT = '/usr/bin/script';

describe('pool progress bar under tsmpiexec', () => {
  it.skipIf(!existsSync(SCRIPT))('is drawn on a terminal', () => {
    const r = spawnSync(SCRIPT, ['-qec', `${process.execPath} ${TSMPIEXEC} -n 3 --timeout 60 ${PROGRAM}`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stdout).toBe(0);
    // Redraws arrive as they happen (carriage returns), and the bar ends complete.
    expect(r.stdout).toMatch(/\rlater \|[█░]+\| +\d+% \d+\/30/);
    expect(r.stdout).toMatch(/100% 30\/30/);
    expect(r.stdout).toMatch(/done 30/);
  }, 120_000);

  it('stays off when the output is not a terminal', async () => {
    const r = await runJob(['-n', '3', '--timeout', '60', PROGRAM], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/done 30/);
    expect(r.stderr).not.toMatch(/30\/30/);
  }, 120_000);
});
