// The job's one exit code: 0 when every rank exits 0; else the first failing
// rank's (1 for an exception, n for process.exit(n), 128+signal, abort's code),
// one line per failed rank naming rank, pid and code or signal, and the other
// ranks (blocked in recv) ended within a few seconds. No process left.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob, type JobResult } from '../helpers/run-job.js';
import { launcherLines, leftoversMarked, marked } from './helpers.js';

const FAIL = join(PROGRAMS, 'launcher-fail.ts');
/** From a rank's failure to the end of the whole job (SIGTERM to the others; the SIGKILL grace is 2 s). */
const ENDS_WITHIN_MS = 4000;

interface Failing { rank: number; pid: number; at: number }

/** The `rank R pid P failing (...) at T` lines launcher-fail.ts prints. */
function failing(stderr: string): Failing[] {
  return [...stderr.matchAll(/^rank (\d+) pid (\d+) failing \(.*\) at (\d+)$/gm)].map((m) => ({ rank: Number(m[1]), pid: Number(m[2]), at: Number(m[3]) }));
}

async function failJob(args: string[], np = 4): Promise<{ res: JobResult; first: Failing; endedAt: number }> {
  const { marker, env } = marked();
  const res = await runJob(['-n', String(np), FAIL, ...args], { env, timeoutMs: 30_000 });
  const endedAt = Date.now();
  const f = failing(res.stderr);
  expect(f.length, res.stderr).toBeGreaterThan(0);
  const first = f[0]!;
  expect(endedAt - first.at, `the job took ${endedAt - first.at} ms to end after rank ${first.rank} failed`).toBeLessThan(ENDS_WITHIN_MS);
  expect(await leftoversMarked(marker)).toEqual([]);
  return { res, first, endedAt };
}

const HOST = '\\S+';

describe('tsmpiexec exit code', () => {
  it('is 0 when every rank exits 0, with no launcher message', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '4', FAIL, 'ok', '0'], { env, timeoutMs: 30_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(launcherLines(res.stderr)).toEqual([]);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('is 1 when a rank throws; its stack is printed and the line names rank, pid and code', async () => {
    const { res, first } = await failJob(['throw', '1']);
    expect(res.code).toBe(1);
    // The stack, every line prefixed by the rank (what python -m mpi4py prints, per rank).
    expect(res.stderr).toMatch(/\[rank 1\] (uncaught exception|unhandled promise rejection):\n\[rank 1\] Error: rank 1 failed on purpose\n\[rank 1\]\s+at /);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 1 \\(pid ${first.pid}\\) on ${HOST} exited with code 1$`)));
  });

  it('is 1 for an unhandled rejection', async () => {
    const { res } = await failJob(['reject', '2']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/\[rank 2\] unhandled promise rejection:\n\[rank 2\] .*rank 2 rejected on purpose/);
  });

  it('is n for process.exit(n)', async () => {
    const { res, first } = await failJob(['exit:3', '1']);
    expect(res.code).toBe(3);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 1 \\(pid ${first.pid}\\) on ${HOST} exited with code 3$`)));
  });

  it('is 137 for a rank killed by SIGKILL, and the line names the signal', async () => {
    const { res, first } = await failJob(['kill:SIGKILL', '3']);
    expect(res.code).toBe(137);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 3 \\(pid ${first.pid}\\) on ${HOST} was killed by signal SIGKILL$`)));
  });

  it('is the code given to abort()', async () => {
    const { res, first } = await failJob(['abort:5', '2']);
    expect(res.code).toBe(5);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 2 \\(pid ${first.pid}\\) on ${HOST} called abort\\(5\\)`)));
  });

  it("is the first failing rank's, with one line per failed rank (not for ranks the launcher ended)", async () => {
    // Rank 2 exits 4 at once; rank 1 ignores the launcher's SIGTERM and exits 3 half a second later.
    const { res } = await failJob(['exit:4', '2', 'then', 'exit:3', '1', 'after', '500']);
    expect(res.code).toBe(4);
    const lines = launcherLines(res.stderr);
    const failed = lines.filter((l) => /\bexited with code\b|\bkilled by signal\b/.test(l));
    const pids = failing(res.stderr);
    expect(failed).toEqual([
      expect.stringMatching(new RegExp(`^tsmpiexec: rank 2 \\(pid ${pids.find((p) => p.rank === 2)!.pid}\\) on ${HOST} exited with code 4$`)),
      expect.stringMatching(new RegExp(`^tsmpiexec: rank 1 \\(pid ${pids.find((p) => p.rank === 1)!.pid}\\) on ${HOST} exited with code 3$`)),
    ]);
  });
});

describe('tsmpiexec exit code of a non-Node program (through the guardian)', () => {
  // Rank 1 prints its pid, then fails; rank 0 would sleep for a minute if not ended.
  const script = (fail: string) => `echo "rank $TSMPI_RANK pid $$" >&2; if [ "$TSMPI_RANK" = 1 ]; then ${fail}; fi; exec sleep 60`;

  async function guardedJob(fail: string): Promise<{ res: JobResult; pid: number }> {
    const { marker, env } = marked();
    const t0 = Date.now();
    const res = await runJob(['-n', '2', 'sh', '-c', script(fail)], { env, timeoutMs: 20_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await leftoversMarked(marker)).toEqual([]);
    // (Rank 0 may be ended before it prints anything; rank 1 prints before it fails.)
    const printed = /^rank 1 pid (\d+)$/m.exec(res.stderr);
    expect(printed, res.stderr).not.toBeNull();
    const line = launcherLines(res.stderr).find((l) => /^tsmpiexec: rank 1 /.test(l));
    const pid = Number(/\(pid (\d+)\)/.exec(line ?? '')?.[1]);
    // The pid named is the program's own, not its guardian's.
    expect(pid).toBe(Number(printed![1]));
    return { res, pid };
  }

  it('passes its exit code through', async () => {
    const { res, pid } = await guardedJob('exit 7');
    expect(res.code).toBe(7);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 1 \\(pid ${pid}\\) on ${HOST} exited with code 7$`)));
  });

  it('passes a signal death through as the signal (137 for SIGKILL)', async () => {
    const { res, pid } = await guardedJob('kill -9 $$');
    expect(res.code).toBe(137);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(new RegExp(`^tsmpiexec: rank 1 \\(pid ${pid}\\) on ${HOST} was killed by signal SIGKILL$`)));
  });

  it('passes SIGSEGV through (139)', async () => {
    const { res } = await guardedJob('kill -SEGV $$');
    expect(res.code).toBe(139);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(/rank 1 .* was killed by signal SIGSEGV$/));
  });
});
