// Every value kind round a ring of 7 real processes (more ranks than cores) on
// each transport comes back identical. (A file of its own so that vitest can run
// it beside ring.test.ts.)
import { describe, it } from 'vitest';
import { checkRing, TRANSPORTS } from './p2p-job.js';

describe.each(TRANSPORTS)('values round a ring (%s)', (transport) => {
  it('7 ranks', () => checkRing(7, transport, false), 150_000);
});
