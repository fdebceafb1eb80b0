// The wait report: with --timeout, before ending a stuck job (exit 124),
// tsmpiexec prints what each rank waits on (operation, communicator, peer, tag,
// for how long) and names a deadlock cycle; SIGQUIT to tsmpiexec prints the same
// report from a running job, which goes on and ends normally once released.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { launcherLines, leftoversMarked, marked, startJob } from '../launcher/helpers.js';

const PROGRAM = join(PROGRAMS, 'fault-deadlock.mjs');
const SECONDS = '(\\d+\\.\\d) s';

/** The report's lines (from its title to the line before the next launcher message). */
function reports(stderr: string): string[][] {
  const out: string[][] = [];
  let cur: string[] | undefined;
  for (const l of stderr.split('\n')) {
    if (l.startsWith('tsmpiexec: wait report')) { cur = [l]; out.push(cur); } else if (cur && l.startsWith('  ')) cur.push(l); else cur = undefined;
  }
  return out;
}

describe('when a rank fails', () => {
  it('the report says where each other rank was waiting, then the job ends with the failed rank\'s code', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '3', PROGRAM, 'peer-fails'], { env, timeoutMs: 30_000 });
    expect(res.code, res.stderr).toBe(3);
    const [report] = reports(res.stderr);
    expect(report?.[0]).toBe('tsmpiexec: wait report (a rank failed; where the others were):');
    const text = report!.join('\n');
    expect(text).toMatch(new RegExp(`^  rank 0 \\(\\S+\\): recv from rank 1 on communicator 0, tag 5, for ${SECONDS}$`, 'm'));
    expect(text).toMatch(/^  rank 1 \(\S+\): exited$/m);
    expect(text).toMatch(new RegExp(`^  rank 2 \\(\\S+\\): collective \\(recv\\) from rank [01] on communicator 0, for ${SECONDS}$`, 'm'));
    expect(res.ms).toBeLessThan(8000);
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 40_000);
});

describe('--timeout', () => {
  it('on a deadlock: exit 124, each rank\'s wait, and the cycle', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '3', '--timeout', '3', PROGRAM, 'deadlock'], { env, timeoutMs: 30_000 });
    expect(res.code, res.stderr).toBe(124);
    const [report, ...more] = reports(res.stderr);
    expect(more).toEqual([]);
    expect(report?.[0]).toBe('tsmpiexec: wait report (time limit reached):');
    const text = report!.join('\n');
    const r0 = new RegExp(`^  rank 0 \\(\\S+\\): recv from rank 1 on communicator 0, tag 5, for ${SECONDS}$`, 'm').exec(text);
    const r1 = new RegExp(`^  rank 1 \\(\\S+\\): recv from rank 0 on communicator 0, tag 6, for ${SECONDS}$`, 'm').exec(text);
    const r2 = new RegExp(`^  rank 2 \\(\\S+\\): collective \\(recv\\) from rank [01] on communicator 0, for ${SECONDS}$`, 'm').exec(text);
    expect([r0, r1, r2].map(Boolean), text).toEqual([true, true, true]);
    // Waiting since start-up: more than nothing, less than the limit.
    for (const m of [r0!, r1!, r2!]) {
      expect(Number(m[1])).toBeGreaterThan(0);
      expect(Number(m[1])).toBeLessThanOrEqual(3);
    }
    expect(text).toMatch(/^ {2}deadlock: (rank 0 waits on rank 1 waits on rank 0|rank 1 waits on rank 0 waits on rank 1) — /m);
    // The report comes before the job is ended.
    const lines = launcherLines(res.stderr);
    expect(lines.findIndex((l) => l.startsWith('tsmpiexec: wait report'))).toBeLessThan(lines.findIndex((l) => /did not finish within .*3 s.*exit 124/.test(l)));
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 60_000);
});

describe('SIGQUIT to tsmpiexec', () => {
  it('prints the report of a running job, which goes on and finishes normally once released', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', '3', PROGRAM, 'stdin'], { env, timeoutMs: 60_000 });
    for (let r = 0; r < 3; r++) await job.waitFor(new RegExp(`^rank ${r} waiting$`, 'm'));
    // Let the waits begin (the line is printed just before blocking).
    await new Promise((r) => setTimeout(r, 300));
    process.kill(job.pid, 'SIGQUIT');
    await job.waitFor(/^ {2}rank 2 .*$/m, 10_000, 'stderr');
    const [report, ...more] = reports(job.stderr());
    expect(more).toEqual([]);
    const text = report!.join('\n');
    expect(report![0]).toBe('tsmpiexec: wait report (on request):');
    expect(text).toMatch(/^ {2}rank 0 \(\S+\): not waiting on any message \(running\)$/m);
    expect(text).toMatch(new RegExp(`^  rank 1 \\(\\S+\\): recv from rank 0 on communicator 0, tag 7, for ${SECONDS}$`, 'm'));
    expect(text).toMatch(new RegExp(`^  rank 2 \\(\\S+\\): collective \\(recv\\) from rank [01] on communicator 0, for ${SECONDS}$`, 'm'));
    expect(text).not.toMatch(/deadlock/);
    // The job goes on: a moment later, nothing has ended and nothing else was said.
    await new Promise((r) => setTimeout(r, 500));
    expect(job.stdout()).not.toMatch(/released/);
    expect(launcherLines(job.stderr()).filter((l) => !l.startsWith('tsmpiexec: wait report'))).toEqual([]);
    // A second request gives a second report.
    process.kill(job.pid, 'SIGQUIT');
    await job.waitFor(/wait report \(on request\)[^]*wait report \(on request\)[^]*\n {2}rank 2 /, 10_000, 'stderr');
    job.stdin.write('go\n');
    const res = await job.done;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('rank 1 got "go"');
    for (let r = 0; r < 3; r++) expect(res.stdout).toContain(`rank ${r} released`);
    expect(reports(res.stderr)).toHaveLength(2);
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 60_000);

  it('names the cycle of a deadlocked job, which runs on until ended (SIGTERM: 143)', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', '3', PROGRAM, 'deadlock'], { env, timeoutMs: 60_000 });
    for (let r = 0; r < 3; r++) await job.waitFor(new RegExp(`^rank ${r} waiting$`, 'm'));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(job.pid, 'SIGQUIT');
    await job.waitFor(/^ {2}deadlock: .*$/m, 10_000, 'stderr');
    expect(job.stderr()).toMatch(/^ {2}rank 0 \(\S+\): recv from rank 1 on communicator 0, tag 5, for \d+\.\d s$/m);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(job.pid, 'SIGTERM');
    const res = await job.done;
    expect(res.code, res.stderr).toBe(143);
    expect(await leftoversMarked(marker)).toEqual([]);
  }, 60_000);
});
