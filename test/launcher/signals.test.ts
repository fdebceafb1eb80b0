// Ending a job from outside: SIGINT/SIGTERM to tsmpiexec (exit 130/143),
// --timeout and MPIEXEC_TIMEOUT (exit 124), and `kill -9` of tsmpiexec, after
// which every rank must end by itself: Node ranks (with or without init())
// and plain executables alike. Nothing may be left in any case.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { launcherLines, leftoversMarked, marked, processesMarked, startJob } from './helpers.js';

const HANG = join(PROGRAMS, 'launcher-hang.ts');

/** Wait until `n` processes with `marker` whose command line matches `pattern` exist. */
async function waitForProcesses(marker: string, pattern: RegExp, n: number, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (processesMarked(marker).filter((p) => pattern.test(p)).length < n) {
    if (Date.now() > end) throw new Error(`${n} processes like ${pattern} did not start: ${processesMarked(marker).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitAllWaiting(job: ReturnType<typeof startJob>, np: number, noinit = false): Promise<void> {
  for (let r = 0; r < np; r++) await job.waitFor(new RegExp(`^rank ${r} waiting${noinit ? ' without init' : ''}$`, 'm'));
}

describe('a signal to tsmpiexec ends the job', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exit ${code}, every rank ended, nothing left`, async () => {
      const { marker, env } = marked();
      const job = startJob(['-n', '3', HANG], { env });
      await waitAllWaiting(job, 3);
      const t0 = Date.now();
      process.kill(job.pid, signal);
      const res = await job.done;
      expect(res.code, res.stderr).toBe(code);
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(launcherLines(res.stderr)).toContain(`tsmpiexec: received ${signal}; ending the job`);
      expect(await leftoversMarked(marker)).toEqual([]);
    });
  }

  it('SIGTERM with non-Node ranks (sleep): exit 143, nothing left', async () => {
    const { marker, env } = marked();
    const job = startJob(['-n', '2', 'sleep', '60'], { env });
    await waitForProcesses(marker, /^\d+ sleep 60$/, 2);
    process.kill(job.pid, 'SIGTERM');
    const res = await job.done;
    expect(res.code, res.stderr).toBe(143);
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});

describe('--timeout ends a hung job with exit 124', () => {
  it('--timeout S', async () => {
    const { marker, env } = marked();
    // The ranks wait forever once started (however long starting takes on a loaded machine).
    const res = await runJob(['-n', '2', '--timeout', '2', HANG], { env, timeoutMs: 30_000 });
    expect(res.code, res.stderr).toBe(124);
    expect(res.ms).toBeGreaterThanOrEqual(2000);
    expect(res.ms).toBeLessThan(15_000);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(/did not finish within .*2 s.*exit 124/));
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('MPIEXEC_TIMEOUT, here with non-Node ranks', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', 'sleep', '60'], { env: { ...env, MPIEXEC_TIMEOUT: '1.5' }, timeoutMs: 30_000 });
    expect(res.code, res.stderr).toBe(124);
    expect(res.ms).toBeGreaterThanOrEqual(1500);
    expect(res.ms).toBeLessThan(15_000);
    expect(launcherLines(res.stderr)).toContainEqual(expect.stringMatching(/did not finish within .*exit 124/));
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});

describe('after kill -9 of tsmpiexec, no rank is left', () => {
  async function killLauncher(args: string[], ready: (job: ReturnType<typeof startJob>, marker: string) => Promise<void>, withinMs: number): Promise<void> {
    const { marker, env } = marked();
    const job = startJob(args, { env });
    await ready(job, marker);
    process.kill(job.pid, 'SIGKILL');
    const res = await job.done;
    expect(res.signal).toBe('SIGKILL');
    expect(await leftoversMarked(marker, withinMs)).toEqual([]);
  }

  it('Node ranks that called init() exit when they lose their control channel', () =>
    killLauncher(['-n', '3', HANG], (job) => waitAllWaiting(job, 3), 5000));

  it('Node ranks that never called init() exit too', () =>
    killLauncher(['-n', '2', HANG, 'noinit'], (job) => waitAllWaiting(job, 2, true), 5000));

  it('Node ranks that finalized but keep running (a timer) exit too', () =>
    killLauncher(['-n', '2', join(PROGRAMS, 'launcher-linger.mjs')], async (job) => {
      for (let r = 0; r < 2; r++) await job.waitFor(new RegExp(`^rank ${r} finalized, lingering$`, 'm'));
    }, 5000));

  it('a non-Node program (sleep 60) is ended by its guardian', () =>
    killLauncher(['-n', '2', 'sleep', '60'], (_job, marker) => waitForProcesses(marker, /^\d+ sleep 60$/, 2), 5000));

  it('and so is a whole shell pipeline, even one that ignores SIGTERM (SIGKILL after the grace)', () =>
    killLauncher(
      ['-n', '2', 'sh', '-c', 'trap "" TERM; sleep 60 | cat; echo unreachable'],
      (_job, marker) => waitForProcesses(marker, /^\d+ sleep 60$/, 2),
      // the 2 s grace between SIGTERM and SIGKILL, plus slack
      6000,
    ));
});
