// An authenticated peer that sends garbage (white-box: it reaches into the
// runtime). Run with -n 3. Rank 1 sends rank 0 a valid message, so its
// connection to rank 0 is open and authenticated, then writes bytes that are not
// tsmpi's protocol straight onto that connection. Rank 0 waits for a second
// message from rank 1; rank 2 waits for rank 0. The job must end with a clear
// TSMPI_ERR_PROTOCOL error on rank 0 (or, for a connection cut in the middle
// of a frame, TSMPI_ERR_RANK_FAILED) — never deliver something wrong, never hang.
// Usage: hostile-garbage.mjs <kind>   (kinds: see GARBAGE)
import { randomBytes } from 'node:crypto';
import { init } from '@tsmpi/runtime';

const kind = process.argv[2] ?? 'random';
const comm = await init();
const { rank } = comm;

/** A frame: u32 header length, u64 payload length, header, payload (the lengths as declared). */
function frame(header, payload = Buffer.alloc(0), { headerLen = header.length, payloadLen = payload.length } = {}) {
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(headerLen, 0);
  prefix.writeUInt32LE(payloadLen % 2 ** 32, 4);
  prefix.writeUInt32LE(Math.floor(payloadLen / 2 ** 32), 8);
  return Buffer.concat([prefix, header, payload]);
}
/** msgpack of an array of small integers (fixarray of fixints). */
const pack = (...xs) => Buffer.from([0x90 | xs.length, ...xs.map((x) => (x < 0 ? 0x100 + x : x))]);
// [kind MSG=1, context 0 (world point-to-point), src 1, tag 5, encoding, depth 0]
const msg = (enc, src = 1) => pack(1, 0, src, 5, enc, 0);

const GARBAGE = {
  random: () => { const b = randomBytes(4096); b[3] = 0xff; return b; },
  'huge-header': () => frame(msg(2), Buffer.alloc(0), { headerLen: 0x7fffffff }),
  'zero-header': () => frame(Buffer.alloc(0), Buffer.alloc(8)),
  'huge-payload': () => frame(msg(2), Buffer.alloc(0), { payloadLen: 2 ** 52 }),
  'bad-msgpack': () => frame(Buffer.from([0xc1]), Buffer.alloc(4)),
  'wrong-shape': () => frame(pack(1, 2, 3), Buffer.alloc(4)),
  'unknown-kind': () => frame(pack(99, 0, 1, 5, 2, 0), Buffer.alloc(4)),
  'spoofed-source': () => frame(msg(2, 2), Buffer.from('from rank 2?')),
  'unknown-encoding': () => frame(msg(99), Buffer.alloc(8)),
  'ragged-typed-array': () => frame(msg(9), Buffer.alloc(7)), // 7 bytes as a Float64Array
  'corrupt-value': () => frame(msg(0), Buffer.from('ffffffff0000000000000000000000000000', 'hex')),
  // A frame cut short, then the connection closed (the peer itself stays alive).
  truncated: () => frame(msg(2), Buffer.alloc(100)).subarray(0, 60),
};
if (!(kind in GARBAGE)) throw new Error(`unknown kind ${kind}; one of ${Object.keys(GARBAGE).join(', ')}`);

if (rank === 1) {
  await comm.send('hello', 0, 5);
  const link = comm.engine.transport.out.get(0);
  const stream = await link.ready;
  stream.write(GARBAGE[kind](), () => { if (kind === 'truncated') stream.end(); });
  console.log(`rank 1: wrote ${kind} garbage to rank 0`);
  // Stay alive (and so do not take the job down ourselves): the job must end because of rank 0.
  await comm.recv(0, 6);
} else if (rank === 0) {
  console.log(`rank 0: got ${JSON.stringify(await comm.recv(1, 5))}`);
  const v = await comm.recv(1, 5);
  console.log(`rank 0: WRONG: delivered ${Object.prototype.toString.call(v)} ${JSON.stringify(v)} from garbage`);
  await comm.send('go on', 2, 7);
} else {
  await comm.recv(0, 7);
}
