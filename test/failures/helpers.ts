/**
 * Helpers for the failure and fault-injection tests: run many jobs a few at a
 * time, read the failing rank's own timestamp, and check the launcher's lines.
 */
import { expect } from 'vitest';
import { runJob, type JobResult } from '../helpers/run-job.js';
import { launcherLines, leftoversMarked, marked } from '../launcher/helpers.js';

/** Run `tasks` with at most `width` of them at once; results in task order. */
export async function inBatches<T>(width: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return out;
}

/** The `fault: rank R pid P failing (...) at ... at <epoch ms>` line a failing test program prints. */
export interface Fault { rank: number; pid: number; at: number }

export function faultOf(stderr: string): Fault | undefined {
  const m = /^fault: rank (\d+) pid (\d+) failing .* at (\d+)$/m.exec(stderr);
  return m ? { rank: Number(m[1]), pid: Number(m[2]), at: Number(m[3]) } : undefined;
}

export interface FailedJob {
  res: JobResult;
  fault: Fault | undefined;
  /** From the failing rank's failure to the end of tsmpiexec (ms). */
  endedAfterMs: number;
  /** Processes of the job still alive afterwards. */
  left: string[];
}

/**
 * Run a job that fails; note when it ended relative to the failing rank's own
 * timestamp, and which of its processes (by environment marker) outlive it.
 */
export async function runFailingJob(args: string[], timeoutMs = 30_000): Promise<FailedJob> {
  const { marker, env } = marked();
  const res = await runJob(args, { env, timeoutMs });
  const endedAt = Date.now();
  const fault = faultOf(res.stderr);
  const left = await leftoversMarked(marker, 3000);
  return { res, fault, endedAfterMs: fault ? endedAt - fault.at : NaN, left };
}

/** The launcher's lines that name a rank's own end (exit code, signal or abort). */
export function rankFailureLines(stderr: string): string[] {
  return launcherLines(stderr).filter((l) => /^tsmpiexec: rank \d+ .*(exited with code|was killed by signal|called abort)/.test(l));
}

/** What each failure mode must give: the job's exit code and the launcher's line for the failed rank. */
export function expectedEnd(how: string, rank: number, pid: number): { code: number; line: RegExp } {
  const where = `^tsmpiexec: rank ${rank} \\(pid ${pid}\\) on \\S+`;
  const [kind, arg] = how.split(':');
  switch (kind) {
    case 'throw': return { code: 1, line: new RegExp(`${where} exited with code 1$`) };
    case 'exit': return { code: Number(arg), line: new RegExp(`${where} exited with code ${arg}$`) };
    case 'kill': return { code: 137, line: new RegExp(`${where} was killed by signal SIGKILL$`) };
    case 'abort': return { code: Number(arg), line: new RegExp(`${where} called abort\\(${arg}\\)`) };
    default: throw new Error(`unknown failure ${how}`);
  }
}

/**
 * Every check on a failed job: the documented code, the failed rank named
 * first (no other rank blamed), an end within `withinMs` of the failure, and
 * no process left. Returns a description of what went wrong, or undefined.
 */
export function problemsOf(job: FailedJob, how: string, failingRank: number, withinMs: number): string | undefined {
  const { res, fault } = job;
  const problems: string[] = [];
  if (!fault) return `the failing rank never said it failed\n${res.stderr}`;
  if (fault.rank !== failingRank) problems.push(`rank ${fault.rank} failed instead of rank ${failingRank}`);
  const want = expectedEnd(how, fault.rank, fault.pid);
  if (res.code !== want.code) problems.push(`exit code ${res.code} (signal ${res.signal}), expected ${want.code}`);
  // The failed rank is named, and only it: the ranks the launcher ended did not fail by themselves.
  const named = rankFailureLines(res.stderr);
  if (named.length !== 1 || !want.line.test(named[0]!)) problems.push(`the failures named are ${JSON.stringify(named)}, expected one line like ${want.line}`);
  if (!(job.endedAfterMs < withinMs)) problems.push(`the job ended ${job.endedAfterMs} ms after the failure (limit ${withinMs} ms)`);
  if (job.left.length) problems.push(`processes left: ${job.left.join('; ')}`);
  return problems.length ? `${problems.join('\n')}\n--- stderr:\n${res.stderr}` : undefined;
}

/** Fail the test with every problem found across jobs (not just the first). */
export function expectNoProblems(problems: (string | undefined)[], what: string): void {
  const found = problems.map((p, i) => (p ? `#${i} ${what}: ${p}` : undefined)).filter(Boolean);
  expect(found.join('\n\n'), `${found.length} of ${problems.length} runs went wrong`).toBe('');
}
