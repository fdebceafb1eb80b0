// Fault injection: 4 ranks run start-up, point-to-point exchanges, every
// collective and finalize (fault-points.mjs); rank 2 fails — by an exception,
// process.exit(3), SIGKILL — at each of 20 points, right after its first message
// operation there, leaving the other ranks inside the same operation. Each time
// the job ends with the documented code (1, 3, 137) within 5 s of the failure,
// names rank 2 (and no other rank) as the failure, and leaves no process.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';
import { expectNoProblems, inBatches, problemsOf, runFailingJob } from './helpers.js';

const PROGRAM = join(PROGRAMS, 'fault-points.mjs');
/** The points, from the module the rank program uses too. */
const POINTS = ((await import(pathToFileURL(join(PROGRAMS, 'fault-stages.mjs')).href)) as { STAGES: string[] }).STAGES;
/** Jobs at once (each is tsmpiexec and 4 ranks). */
const WIDTH = 3;
const ENDS_WITHIN_MS = 5000;

describe('fault injection at 20 points, 4 ranks, rank 2 fails', () => {
  it('runs all 20 stages correctly when nobody fails (the control)', async () => {
    expect(POINTS).toHaveLength(20);
    const { marker, env } = marked();
    const res = await runJob(['-n', '4', PROGRAM, 'none'], { env, timeoutMs: 60_000 });
    expect(res.code, res.stderr).toBe(0);
    for (let r = 0; r < 4; r++) expect(res.stdout).toContain(`rank ${r}: all 20 stages done`);
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 90_000);

  it.each([
    ['an exception', 'throw', 1],
    ['process.exit(3)', 'exit:3', 3],
    ['SIGKILL', 'kill', 137],
  ] as const)('by %s (%s): exit %i at every point, within 5 s, nothing left', async (_what, how, code) => {
    const jobs = await inBatches(WIDTH, POINTS.map((point) => () => runFailingJob(['-n', '4', PROGRAM, point, how, '2'])));
    expectNoProblems(jobs.map((j, i) => {
      const p = problemsOf(j, how, 2, ENDS_WITHIN_MS);
      // The failure happened where it was asked for.
      if (!p && !new RegExp(`^fault: rank 2 .* at ${POINTS[i]}( \\(|$| at )`, 'm').test(j.res.stderr)) return `rank 2 did not fail at ${POINTS[i]}\n${j.res.stderr}`;
      return p && `at ${POINTS[i]}: ${p}`;
    }), how);
    expect(jobs.map((j) => j.res.code)).toEqual(POINTS.map(() => code));
    if (how === 'throw') {
      for (const { res } of jobs) expect(res.stderr).toMatch(/^\[rank 2\] Error: rank 2 fails on purpose/m);
    }
  }, 240_000);
});
