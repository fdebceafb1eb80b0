// Mirrors mpi4py's demo/osu_bw.py (after the OSU Micro-Benchmarks' osu_bw,
// http://mvapich.cse.ohio-state.edu/benchmarks/): rank 0 posts a window of 64 Isends of one size to rank 1,
// which posts 64 matching Irecvs; both Waitall, rank 1 acknowledges with a 4-byte message, and rank 0 prints
// the bandwidth in MB/s (10^6 bytes per second) for sizes 1, 2, 4 ... 4 MiB.
// Defaults as in the original: skip 10 + loop 100 windows per size, skip 2 + loop 20 above 8 KiB.
//
// Needs exactly 2 ranks, as the original:  npx tsmpiexec -n 2 examples/osu-bw.ts
// Options (for a quick run, e.g. in tests): --skip N --loop N --skip-large N --loop-large N --window N
//   --max-size BYTES
// Added check (OSU's validation option): after each size rank 1 asserts the bytes received are the bytes sent.
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { init, Request, wtime } from 'tsmpi';

const { values: opt } = parseArgs({
  options: {
    'skip': { type: 'string', default: '10' },
    'loop': { type: 'string', default: '100' },
    'skip-large': { type: 'string', default: '2' },
    'loop-large': { type: 'string', default: '20' },
    'window': { type: 'string', default: '64' },
    'max-size': { type: 'string', default: String(1 << 22) },
  },
});
const int = (name: keyof typeof opt) => {
  const v = Number(opt[name]);
  assert.ok(Number.isInteger(v) && v >= 0, `--${name} takes a non-negative integer (got ${opt[name]})`);
  return v;
};

const BENCHMARK = 'MPI Bandwidth Test';
let skip = int('skip');
let loop = int('loop');
let windowSize = int('window');
const skipLarge = int('skip-large');
const loopLarge = int('loop-large');
const windowSizeLarge = windowSize;
const largeMessageSize = 8192;
const MAX_MSG_SIZE = int('max-size');
assert.ok(loop > 0 && loopLarge > 0 && windowSize > 0, '--loop, --loop-large and --window must be at least 1');

const comm = await init();
const myid = comm.rank;
const numprocs = comm.size;

if (numprocs !== 2) {
  // Exit 77 (the "skipped" code of automake test suites); the original raises SystemExit (exit 1).
  if (myid === 0) console.error('This test requires exactly two processes: run it with npx tsmpiexec -n 2 examples/osu-bw.ts');
  process.exit(77);
}

const sBuf = new Uint8Array(MAX_MSG_SIZE).fill(0x61); // 'a'
const rBuf = new Uint8Array(MAX_MSG_SIZE);

if (myid === 0) {
  console.log(`# ${BENCHMARK}`);
  console.log(`# ${'Size [B]'.padEnd(8)}${'Bandwidth [MB/s]'.padStart(20)}`);
}

const messageSizes = Array.from({ length: 30 }, (_, i) => 2 ** i);
for (const size of messageSizes) {
  if (size > MAX_MSG_SIZE) break;
  if (size > largeMessageSize) {
    skip = skipLarge;
    loop = loopLarge;
    windowSize = windowSizeLarge;
  }
  const requests: Request<undefined>[] = new Array(windowSize);
  let tStart = 0, tEnd = 0;

  await comm.barrier();
  if (myid === 0) {
    const sMsg = sBuf.subarray(0, size);
    const rMsg = rBuf.subarray(0, 4);
    for (let i = 0; i < loop + skip; i++) {
      if (i === skip) tStart = wtime();
      for (let j = 0; j < windowSize; j++) requests[j] = comm.Isend(sMsg, 1, 100);
      await Request.waitall(requests);
      await comm.Recv(rMsg, 1, 101);
    }
    tEnd = wtime();
  } else {
    const sMsg = sBuf.subarray(0, 4);
    const rMsg = rBuf.subarray(0, size);
    rMsg.fill(0x62); // 'b': the check below sees whether the messages arrived
    for (let i = 0; i < loop + skip; i++) {
      for (let j = 0; j < windowSize; j++) requests[j] = comm.Irecv(rMsg, 0, 100);
      await Request.waitall(requests);
      await comm.Send(sMsg, 0, 101);
    }
    assert.ok(rMsg.every((b) => b === 0x61), `a ${size}-byte message arrived corrupted`);
  }

  if (myid === 0) {
    const MB = (size / 1e6) * loop * windowSize;
    const s = tEnd - tStart;
    console.log(`${String(size).padEnd(10)}${(MB / s).toFixed(2).padStart(20)}`);
  }
}
