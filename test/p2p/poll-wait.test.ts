// How ranks wait for messages (TSMPI_WAIT, TSMPI_POLL_US; runtime engine/poll-wait.ts):
// a polling rank spins while it waits, up to its budget; a blocking one sleeps;
// `auto` polls only while the host's ranks do not outnumber its cores. Seen from
// outside by the CPU time rank 1 spends waiting ~600 ms for a late message.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { linesMatching, runP2P, TRANSPORTS } from './p2p-job.js';

const WAIT_MS = 600;

async function cpuOfWait(np: number, env: Record<string, string>, transport: (typeof TRANSPORTS)[number] = 'auto', flags: string[] = []): Promise<number> {
  const res = await runP2P({ program: 'p2p-wait.mjs', np, transport, args: [String(WAIT_MS)], env, flags, timeoutS: 60 });
  const l = linesMatching(res.stdout, /^waited \d+ ms, cpu \d+ ms$/);
  expect(l, res.stdout + res.stderr).toHaveLength(1);
  expect(Number(/waited (\d+)/.exec(l[0]!)![1])).toBeGreaterThanOrEqual(WAIT_MS - 50);
  return Number(/cpu (\d+)/.exec(l[0]!)![1]);
}

// Thresholds leave room for a loaded machine: a spinning rank gets at least a share of a core
// (600 ms at a fifth of a core is 120 ms), a sleeping one needs a few ms at most.
const SPUN_MS = 60;
const SLEPT_MS = 30;

describe('waiting for messages', () => {
  for (const transport of TRANSPORTS) {
    it(`TSMPI_WAIT=poll spins for the whole wait when the budget covers it (${transport})`, async () => {
      expect(await cpuOfWait(2, { TSMPI_WAIT: 'poll', TSMPI_POLL_US: '5000000' }, transport)).toBeGreaterThanOrEqual(SPUN_MS);
    }, 90_000);
  }

  it('TSMPI_WAIT=block sleeps', async () => {
    expect(await cpuOfWait(2, { TSMPI_WAIT: 'block', TSMPI_POLL_US: '5000000' })).toBeLessThan(SLEPT_MS);
  }, 90_000);

  it('a poll stops after its budget (TSMPI_POLL_US)', async () => {
    expect(await cpuOfWait(2, { TSMPI_WAIT: 'poll', TSMPI_POLL_US: '2000' })).toBeLessThan(SLEPT_MS);
  }, 90_000);

  it('auto polls while the ranks fit the cores, and not once they outnumber them', async () => {
    const cores = availableParallelism();
    if (cores >= 2) expect(await cpuOfWait(2, { TSMPI_POLL_US: '5000000' })).toBeGreaterThanOrEqual(SPUN_MS);
    expect(await cpuOfWait(cores + 1, { TSMPI_POLL_US: '5000000' })).toBeLessThan(SLEPT_MS);
  }, 120_000);

  it('tsmpiexec --wait sets every rank\'s policy, over TSMPI_WAIT in its environment', async () => {
    expect(await cpuOfWait(2, { TSMPI_WAIT: 'block', TSMPI_POLL_US: '5000000' }, 'auto', ['--wait', 'poll'])).toBeGreaterThanOrEqual(SPUN_MS);
    expect(await cpuOfWait(2, { TSMPI_WAIT: 'poll', TSMPI_POLL_US: '5000000' }, 'auto', ['--wait', 'block'])).toBeLessThan(SLEPT_MS);
  }, 120_000);

  it('a wrong TSMPI_WAIT or TSMPI_POLL_US fails the job with TSMPI_ERR_INIT, saying what to set', async () => {
    for (const [k, v, says] of [['TSMPI_WAIT', 'spin', /choose auto .*, poll or block/], ['TSMPI_POLL_US', 'soon', /in microseconds/]] as const) {
      const res = await runJob(['-n', '2', '--timeout', '30', join(PROGRAMS, 'p2p-wait.mjs'), 'poll-wait-bad', '10'], { env: { [k]: v }, timeoutMs: 45_000 });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('TSMPI_ERR_INIT');
      expect(res.stderr).toContain(`${k}=${v}: `);
      expect(res.stderr).toMatch(says);
    }
  }, 120_000);
});
