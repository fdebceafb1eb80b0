// Mirrors mpi4py's demo/osu_latency.py (after the OSU Micro-Benchmarks' osu_latency,
// http://mvapich.cse.ohio-state.edu/benchmarks/): a ping-pong of Send/Recv between ranks 0 and 1 for message
// sizes 0, 1, 2, 4 ... 4 MiB; rank 0 prints the one-way latency, half the mean round trip, in microseconds.
// Defaults as in the original: skip 1000 + loop 10000 round trips per size, skip 10 + loop 100 above 8 KiB.
//
// Needs exactly 2 ranks, as the original:  npx tsmpiexec -n 2 examples/osu-latency.ts
// Options (for a quick run, e.g. in tests): --skip N --loop N --skip-large N --loop-large N --max-size BYTES
// Added check (OSU's validation option): after each size, both ranks assert the bytes received are the
// bytes sent and the Status counts them.
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { init, Status, wtime } from 'tsmpi';

const { values: opt } = parseArgs({
  options: {
    'skip': { type: 'string', default: '1000' },
    'loop': { type: 'string', default: '10000' },
    'skip-large': { type: 'string', default: '10' },
    'loop-large': { type: 'string', default: '100' },
    'max-size': { type: 'string', default: String(1 << 22) },
  },
});
const int = (name: keyof typeof opt) => {
  const v = Number(opt[name]);
  assert.ok(Number.isInteger(v) && v >= 0, `--${name} takes a non-negative integer (got ${opt[name]})`);
  return v;
};

const BENCHMARK = 'MPI Latency Test';
let skip = int('skip');
let loop = int('loop');
const skipLarge = int('skip-large');
const loopLarge = int('loop-large');
const largeMessageSize = 8192;
const MAX_MSG_SIZE = int('max-size');
assert.ok(loop > 0 && loopLarge > 0, '--loop and --loop-large must be at least 1');

const comm = await init();
const myid = comm.rank;
const numprocs = comm.size;

if (numprocs !== 2) {
  // Exit 77 (the "skipped" code of automake test suites); the original raises SystemExit (exit 1).
  if (myid === 0) console.error('This test requires exactly two processes: run it with npx tsmpiexec -n 2 examples/osu-latency.ts');
  process.exit(77);
}

const sBuf = new Uint8Array(MAX_MSG_SIZE).fill(0x61); // 'a', as OSU fills its send buffer
const rBuf = new Uint8Array(MAX_MSG_SIZE);
const peer = 1 - myid;
const status = new Status();

if (myid === 0) {
  console.log(`# ${BENCHMARK}`);
  console.log(`# ${'Size [B]'.padEnd(8)}${'Latency [us]'.padStart(20)}`);
}

const messageSizes = [0, ...Array.from({ length: 30 }, (_, i) => 2 ** i)];
for (const size of messageSizes) {
  if (size > MAX_MSG_SIZE) break;
  if (size > largeMessageSize) {
    skip = skipLarge;
    loop = loopLarge;
  }
  const sMsg = sBuf.subarray(0, size); // [s_buf, size, MPI.BYTE]
  const rMsg = rBuf.subarray(0, size); // [r_buf, size, MPI.BYTE]
  rMsg.fill(0x62); // 'b': the check below sees whether the message arrived
  let tStart = 0, tEnd = 0;

  await comm.barrier();
  if (myid === 0) {
    for (let i = 0; i < loop + skip; i++) {
      if (i === skip) tStart = wtime();
      await comm.Send(sMsg, 1, 1);
      await comm.Recv(rMsg, 1, 1, status);
    }
    tEnd = wtime();
  } else {
    for (let i = 0; i < loop + skip; i++) {
      await comm.Recv(rMsg, 0, 1, status);
      await comm.Send(sMsg, 0, 1);
    }
  }

  assert.equal(status.count, size, `rank ${myid}: received ${status.count} bytes, expected ${size}`);
  assert.equal(status.source, peer);
  assert.ok(rMsg.every((b) => b === 0x61), `rank ${myid}: a ${size}-byte message arrived corrupted`);

  if (myid === 0) {
    const latency = ((tEnd - tStart) * 1e6) / (2 * loop);
    console.log(`${String(size).padEnd(10)}${latency.toFixed(2).padStart(20)}`);
  }
}
