// OPT-IN (TSMPI_HEAVY=1; skipped otherwise, and then not counted as passing):
// messages of 1 GiB point to point and broadcast, 3 GiB in one value, and 4.5 GiB
// — more than one Uint8Array can span on Node 20 — in one value, as one
// Float64Array point to point (both receive styles) and broadcast, each when the
// machine has the memory. Each run reports every rank's peak RSS
// (process.resourceUsage().maxRSS).
//   TSMPI_HEAVY=1 npx vitest run test/failures/heavy.test.ts
// Needs about 16 GiB of free memory; takes a few minutes.
import { constants } from 'node:buffer';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';

const HEAVY = process.env.TSMPI_HEAVY === '1';
const PROGRAM = join(ROOT, 'test', 'failures', 'programs', 'heavy.mjs');
const GiB = 2 ** 30;

async function heavy(np: number, op: string, bytes: number) {
  const { marker, env } = marked();
  const res = await runJob(['-n', String(np), PROGRAM, op, String(bytes)], { env, timeoutMs: 600_000 });
  const lines = res.stdout.split('\n').filter((l) => l.startsWith('heavy: '));
  // The report: peak memory of every rank.
  for (const l of lines) console.log(l);
  expect(await leftoversMarked(marker, 10_000)).toEqual([]);
  return { res, lines };
}

// Above 4 GiB: more than one Uint8Array can span on Node 20 (the runtime goes through windows).
const big = 4.5 * GiB;
const roomFor = (copies: number) => freemem() > copies * big + 2 * GiB;

/** Jobs that must succeed: [what, ranks, the program's operation, bytes, whether the machine has room]. */
const SUCCEEDING: [string, number, string, number, boolean][] = [
  ['1 GiB point to point (Send/Recv)', 2, 'p2p', GiB, true],
  ['1 GiB broadcast (Bcast) over 4 ranks', 4, 'bcast', GiB, true],
  ['3 GiB in one value (arrays of 2 GiB and 1 GiB)', 2, 'p2p-value', 3 * GiB, true],
  ['4.5 GiB in one value (three arrays), point to point', 2, 'p2p-value', big, roomFor(2)],
  ['one 4.5 GiB Float64Array, Send into a preallocated array (Recv)', 2, 'p2p', big, roomFor(2)],
  ['one 4.5 GiB Float64Array, send/recv', 2, 'p2p-recv', big, roomFor(2)],
];

describe.runIf(HEAVY)('very large messages (opt-in: TSMPI_HEAVY=1)', () => {
  for (const [what, np, op, bytes, room] of SUCCEEDING) {
    it.runIf(room)(what, async () => {
      const { res, lines } = await heavy(np, op, bytes);
      expect(res.code, res.stderr).toBe(0);
      // One peak-memory line per rank: every rank got through.
      expect(lines).toHaveLength(np);
    }, 600_000);
  }

  // Node 20 only: from Node 22 on a Uint8Array holds more than 4 GiB and collectives take any size.
  it.runIf(roomFor(1) && constants.MAX_LENGTH < big)('(Node 20) a 4.5 GiB broadcast (bcast) is refused at once with TSMPI_ERR_UNSUPPORTED (collectives: up to 4 GiB per rank for now)', async () => {
    const { res } = await heavy(3, 'bcast-value', big);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/TSMPI_ERR_UNSUPPORTED/);
    expect(res.stderr).toMatch(/collectives take at most \d+ bytes per rank/);
  }, 600_000);
});
