// Ranks whose programs end early (one with an explicit finalize(), one without)
// while rank 0 has not yet received their messages: nothing is lost, nothing
// hangs, and rank 0's later sends to the finished ranks complete.
import { describe, expect, it } from 'vitest';
import { linesMatching, runP2P, TRANSPORTS } from './p2p-job.js';

describe.each(TRANSPORTS)('a rank that finishes early (%s)', (transport) => {
  it('its messages are all received after it is done; sends to it do not hang', async () => {
    const res = await runP2P({ program: 'p2p-early.ts', np: 3, transport, timeoutS: 60 });
    const doneAt = (rank: number) => {
      const l = linesMatching(res.stdout, new RegExp(`^rank ${rank}: program done at (\\d+)`));
      expect(l, res.stdout).toHaveLength(1);
      return Number(/at (\d+)/.exec(l[0]!)![1]);
    };
    const start = linesMatching(res.stdout, /^rank 0: receiving from (\d+)/);
    expect(start, res.stdout).toHaveLength(1);
    const receivingFrom = Number(/from (\d+)/.exec(start[0]!)![1]);
    // Both early ranks were done before rank 0 took the first of their messages.
    expect(doneAt(1)).toBeLessThan(receivingFrom);
    expect(doneAt(2)).toBeLessThan(receivingFrom);
    expect(res.stdout).toContain('rank 1: program done at');
    expect(res.stdout).toMatch(/rank 1: .*explicit finalize/);
    expect(res.stdout).toMatch(/rank 2: .*no finalize/);
    expect(res.stdout).toContain('rank 0: received all 600 messages from the finished ranks');
    expect(res.stderr).toBe('');
  }, 120_000);
});
