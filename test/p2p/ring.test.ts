// Every value kind, from empty to a few MiB, round a ring of 2, 3 and 4 real
// processes on each transport comes back identical (p2p-ring.ts checks -0, holes,
// Map vs object, Buffer vs Uint8Array, typed-array kinds and every byte); the
// WebSocket ring of 2 also carries one 64 MiB Float64Array. 7 ranks: ring-7.test.ts.
import { describe, it } from 'vitest';
import { checkRing, TRANSPORTS } from './p2p-job.js';

describe.each(TRANSPORTS)('values round a ring (%s)', (transport) => {
  for (const np of [2, 3, 4]) {
    const huge = transport === 'ws' && np === 2;
    it(`${np} ranks${huge ? ', with a 64 MiB Float64Array' : ''}`, () => checkRing(np, transport, huge), 150_000);
  }
});

// Small frames go straight to the socket's handle through process.binding(), which prints a deprecation
// warning under --pending-deprecation: such ranks write through socket.write() instead, and say nothing.
describe('values round a ring with NODE_OPTIONS=--pending-deprecation', () => {
  for (const transport of ['auto', 'tcp'] as const) {
    it(`3 ranks (${transport}): no deprecation warning on stderr`, () => checkRing(3, transport, false, { NODE_OPTIONS: '--pending-deprecation' }), 150_000);
  }
});
