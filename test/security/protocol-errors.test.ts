// An authenticated peer that sends garbage (white-box: hostile-garbage.mjs
// writes on its own, valid connection): random bytes, oversized or empty
// headers, absurd payload lengths, malformed or unknown headers, a spoofed
// source, an unknown encoding, a typed array of a ragged length, a corrupt
// value, a frame cut short. Each time the receiving rank stops with a clear
// TSMPI_ERR_PROTOCOL error (TSMPI_ERR_RANK_FAILED for the cut connection,
// which looks like a peer that died), the job exits non-zero, nothing wrong is
// ever delivered, nothing hangs, nothing is left.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from '../launcher/helpers.js';
import { inBatches, rankFailureLines } from '../failures/helpers.js';

const PROGRAM = join(PROGRAMS, 'hostile-garbage.mjs');

/** kind → what rank 0 must say: the error code and a message that says what was wrong. */
const CASES: [string, string, RegExp][] = [
  ['random', 'PROTOCOL', /frame header of \d+ bytes \(limit 4096\)/],
  ['huge-header', 'PROTOCOL', /frame header of 2147483647 bytes \(limit 4096\)/],
  ['zero-header', 'PROTOCOL', /frame header of 0 bytes/],
  ['huge-payload', 'PROTOCOL', /frame payload of 4503599627370496 bytes exceeds the limit of \d+/],
  ['bad-msgpack', 'PROTOCOL', /frame header (is not valid msgpack|has the wrong shape)/],
  ['wrong-shape', 'PROTOCOL', /frame header has the wrong shape/],
  ['unknown-kind', 'PROTOCOL', /unknown frame kind 99/],
  ['spoofed-source', 'PROTOCOL', /rank 1 sent a frame claiming to come from rank 2/],
  ['unknown-encoding', 'PROTOCOL', /unknown payload encoding 99/],
  ['ragged-typed-array', 'PROTOCOL', /rank 1 sent a payload of 7 bytes as 8-byte elements/],
  ['corrupt-value', 'PROTOCOL', /message from rank 1 \(tag \d+\): corrupt value payload/],
  ['truncated', 'RANK_FAILED', /connection with rank 1 closed in the middle of a message/],
];

describe('an authenticated peer that sends garbage', () => {
  it(`ends the job with a clear error, never a wrong delivery (${CASES.map(([k]) => k).join(', ')})`, async () => {
    const runs = await inBatches(4, CASES.map(([kind]) => async () => {
      const { marker, env } = marked();
      const res = await runJob(['-n', '3', PROGRAM, kind], { env, timeoutMs: 30_000 });
      return { kind, res, left: await leftoversMarked(marker) };
    }));
    const problems: string[] = [];
    runs.forEach(({ kind, res, left }, i) => {
      const [, code, message] = CASES[i]!;
      const p: string[] = [];
      if (!res.stdout.includes(`rank 1: wrote ${kind} garbage to rank 0`)) p.push('the garbage was not written');
      if (/WRONG/.test(res.stdout)) p.push('garbage was delivered as a message');
      if (res.code === 0 || res.code === null) p.push(`exit code ${res.code}`);
      // Rank 0 says which error, with the code, and what was wrong (from the runtime, or as an uncaught error).
      const said = new RegExp(`^(tsmpi: rank 0: TSMPI_ERR_${code}: .*|\\[rank 0\\] (TsmpiError: .*|  code: 'TSMPI_ERR_${code}'.*))$`, 'gm');
      const lines = res.stderr.match(said) ?? [];
      if (!lines.some((l) => l.includes(`TSMPI_ERR_${code}`))) p.push(`no TSMPI_ERR_${code} from rank 0`);
      if (!lines.some((l) => message.test(l))) p.push(`no message like ${message}`);
      // The job ends because of rank 0, which stopped on the garbage (not a hang ended by anything else).
      const named = rankFailureLines(res.stderr);
      if (named.length !== 1 || !/^tsmpiexec: rank 0 .* exited with code 1$/.test(named[0]!)) p.push(`failures named: ${JSON.stringify(named)}`);
      if (left.length) p.push(`left: ${left.join('; ')}`);
      if (p.length) problems.push(`${kind}: ${p.join('; ')}\n${res.stdout}${res.stderr}`);
    });
    expect(problems.join('\n\n')).toBe('');
  }, 120_000);
});
