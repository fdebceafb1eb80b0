// Ranks whose programs end at very different times (up to seconds apart) lose
// nothing: every message a rank sent without waiting — bursts of small values
// and 4–8 MiB arrays, some still queued behind a busy receiver — is delivered,
// in order and intact, after its sender's program ended, with an explicit
// finalize(), without one (the runtime finalizes at exit), and mixed; over Unix
// sockets, TCP and WebSocket.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';
import { inBatches } from './helpers.js';

const PROGRAM = join(PROGRAMS, 'fault-finalize.mjs');
const NP = 5;

const at = (stdout: string, re: RegExp): number => {
  const m = re.exec(stdout);
  expect(m, `${re} in\n${stdout}`).not.toBeNull();
  return Number(m![1]);
};

describe('finalize and exit deliver every queued message', () => {
  const cases = [
    ['auto', 'explicit'], ['auto', 'implicit'], ['tcp', 'mixed'], ['ws', 'mixed'],
  ] as const;

  it(`${cases.map(([t, m]) => `${t}/${m}`).join(', ')}: ${NP} ranks ending seconds apart lose nothing`, async () => {
    const runs = await inBatches(4, cases.map(([transport, mode]) => async () => {
      const { marker, env } = marked();
      const res = await runJob(['-n', String(NP), '--transport', transport, PROGRAM, mode], { env, timeoutMs: 90_000 });
      return { transport, mode, res, left: await leftoversMarked(marker) };
    }));
    for (const { transport, mode, res, left } of runs) {
      const what = `${transport}/${mode}\n${res.stdout}\n${res.stderr}`;
      expect(res.code, what).toBe(0);
      expect(res.stderr, what).toBe('');
      expect(left, what).toEqual([]);
      const done: number[] = [];
      for (let r = 0; r < NP; r++) {
        const n = (NP - 1) * 50 + r * 20;
        const how = mode === 'explicit' || (mode === 'mixed' && r % 2 === 0) ? 'explicit finalize' : 'no finalize';
        done.push(at(res.stdout, new RegExp(`^rank ${r}: all ${n} messages intact; program done at (\\d+) \\(${how}\\)$`, 'm')));
      }
      // Very different times: the last program ended well after the first.
      expect(Math.max(...done) - Math.min(...done), what).toBeGreaterThan(1500);
      // The last rank took the farewells of ranks 0-2 after their programs had ended.
      const lastReceiving = at(res.stdout, new RegExp(`^rank ${NP - 1}: receiving farewells from (\\d+)$`, 'm'));
      for (let r = 0; r < 3; r++) expect(lastReceiving, what).toBeGreaterThan(done[r]!);
    }
  }, 180_000);
});
