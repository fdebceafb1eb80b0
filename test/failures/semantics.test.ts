// Failure semantics, 50 times each: a rank that throws ends the job with 1 (its
// stack printed, every line prefixed by its rank), process.exit(7) with 7, a
// SIGKILL with 137, comm.abort(9) with 9 — the same code every time, the failed
// rank named (and no other), and the rank blocked in recv() on the failed peer
// ended: the job is over within 5 s of the failure and no process is left.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS } from '../helpers/run-job.js';
import { expectNoProblems, inBatches, problemsOf, runFailingJob } from './helpers.js';

const PROGRAM = join(PROGRAMS, 'fault-rank.mjs');
const REPETITIONS = 50;
/** Jobs at once (each is tsmpiexec and 2 ranks). */
const WIDTH = 4;
const ENDS_WITHIN_MS = 5000;

describe.each([
  ['throws', 'throw', 1],
  ['calls process.exit(7)', 'exit:7', 7],
  ['is killed by SIGKILL', 'kill', 137],
  ['calls comm.abort(9)', 'abort:9', 9],
] as const)('a rank that %s', (_what, how, code) => {
  it(`ends the job with exit ${code}, ${REPETITIONS} times out of ${REPETITIONS}, within ${ENDS_WITHIN_MS / 1000} s, leaving nothing`, async () => {
    const jobs = await inBatches(WIDTH, Array.from({ length: REPETITIONS }, () => () => runFailingJob(['-n', '2', PROGRAM, how, '1'])));
    expectNoProblems(jobs.map((j) => problemsOf(j, how, 1, ENDS_WITHIN_MS)), how);
    expect(jobs.map((j) => j.res.code)).toEqual(new Array(REPETITIONS).fill(code));
    if (how === 'throw') {
      for (const { res } of jobs) {
        // The stack, every line of it prefixed by the rank that threw.
        expect(res.stderr).toMatch(/^\[rank 1\] (uncaught exception|unhandled promise rejection):$/m);
        expect(res.stderr).toMatch(/^\[rank 1\] Error: rank 1 fails on purpose$/m);
        expect(res.stderr).toMatch(/^\[rank 1\] +at .*fault-rank\.mjs:\d+:\d+/m);
        const stackLines = res.stderr.split('\n').filter((l) => /^\s*at |fails on purpose/.test(l.replace(/^\[rank \d+\] /, '')));
        expect(stackLines.filter((l) => !l.startsWith('[rank 1] '))).toEqual([]);
      }
    }
  }, 240_000);
});
