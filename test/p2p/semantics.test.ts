// The point-to-point rules between real processes, on each transport (the checks
// are in test/programs/p2p-semantics.ts; every rank prints one line per phase).
import { describe, expect, it } from 'vitest';
import { linesMatching, runP2P, TRANSPORTS } from './p2p-job.js';

const PHASES = [
  'non-overtaking', 'wildcards match the earliest message', 'Status: source, tag and count in bytes',
  'probe and iprobe', 'isend/irecv with test() and wait()', 'Request.waitany / waitall / testall',
  'sendrecv round the ring', 'self-sends, blocking and non-blocking', 'PROC_NULL',
  'buffer mode: Send/Recv of every typed-array kind, Buffer and ArrayBuffer',
  'Recv into a too-small buffer: TSMPI_ERR_TRUNCATE, then the next message',
  'large Recv posted first: received in place, in order, exact bytes, truncation',
  'bad rank → TSMPI_ERR_RANK, bad tag → TSMPI_ERR_TAG',
];

describe.each(TRANSPORTS)('point-to-point semantics (%s)', (transport) => {
  const np = transport === 'auto' ? 4 : 3;
  it(`${np} ranks: ordering, wildcards, status, probe, requests, self, PROC_NULL, buffers, truncation, errors`, async () => {
    const res = await runP2P({ program: 'p2p-semantics.ts', np, transport });
    for (let rank = 0; rank < np; rank++) {
      for (const phase of PHASES) expect(res.stdout).toContain(`rank ${rank}: ok ${phase}\n`);
      expect(res.stdout).toContain(`rank ${rank}: p2p semantics ok (${PHASES.length} phases)`);
    }
    expect(linesMatching(res.stdout, /: ok /)).toHaveLength(np * PHASES.length);
    expect(res.stderr).toBe('');
  }, 150_000);
});
