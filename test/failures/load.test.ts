// Load: 32 ranks on this one host exchange with each other for several
// seconds — alltoall of values and of typed arrays, and point-to-point to all
// at once — with every result checked (test/failures/programs/load.mjs).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';

const PROGRAM = join(ROOT, 'test', 'failures', 'programs', 'load.mjs');
const NP = 32;
const SECONDS = 3;

describe(`${NP} ranks on one host`, () => {
  it(`exchange all-to-all for ${SECONDS} s with correct results`, async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', String(NP), PROGRAM, String(SECONDS)], { env, timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    const m = /^load: (\d+) iterations, (\d+) messages in (\d+) ms on (\d+) ranks$/m.exec(res.stdout);
    expect(m, res.stdout).not.toBeNull();
    const [, iterations, messages, ms, ranks] = m!.map(Number);
    expect(ranks).toBe(NP);
    expect(ms).toBeGreaterThanOrEqual(SECONDS * 1000);
    expect(iterations).toBeGreaterThanOrEqual(4);
    // Each iteration: an alltoall of values and one of arrays (31 messages each way per rank) and 31 point-to-point sends per rank.
    expect(messages).toBe(iterations! * NP * (NP - 1) * 3);
    expect(res.stderr).toBe('');
    expect(await leftoversMarked(marker, 10_000)).toEqual([]);
  }, 150_000);
});
