/**
 * Memory benchmark, 2 ranks. Resident set size (VmRSS) of each rank at rest
 * (after start-up, one message each way and a full GC), then the peak (VmHWM,
 * reset just before) while rank 1 receives an N-byte Float64Array:
 *   typed  — recv() of a bare Float64Array (the runtime allocates it);
 *   buffer — Recv() into a Float64Array allocated and touched beforehand.
 * The sender's peak over its own rest is reported too.
 */
import { init, finalize } from 'tsmpi';
import { config, emit, gc, peakRssBytes, resetPeak, rssBytes } from '../lib/measure.mjs';

const cfg = config();
const N = cfg.bytes;
const DATA = 1, READY = 2, DONE = 3;
const comm = await init();
if (comm.size !== 2) throw new Error('the memory benchmark runs on 2 ranks');
const peer = 1 - comm.rank;
const MiB = 1 << 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function settle() {
  gc();
  await sleep(200);
  gc();
}

// Open both connections, then rest.
if (comm.rank === 0) { await comm.send('hi', 1, READY); await comm.recv(1, READY); } else { await comm.recv(0, READY); await comm.send('hi', 0, READY); }
await settle();
const rest = rssBytes();
const record = { kind: 'memory', bytes: N, rest_MiB: [], receiver: {}, sender: {} };

for (const mode of ['typed', 'buffer']) {
  if (comm.rank === 1) {
    let dst = mode === 'buffer' ? new Float64Array(N / 8).fill(2) : null;
    await settle();
    const before = rssBytes();
    resetPeak();
    await comm.send(0, 0, READY);
    let got = mode === 'buffer' ? (await comm.Recv(dst, 0, DATA), dst) : await comm.recv(0, DATA);
    const peak = peakRssBytes();
    if (got.length !== N / 8 || got[N / 8 - 1] !== 1) throw new Error(`received the wrong data (${got.length} elements)`);
    got = null; dst = null;
    await comm.send({ before, peak }, 0, DONE);
  } else {
    let big = new Float64Array(N / 8).fill(1);
    await settle();
    const before = rssBytes();
    await comm.recv(1, READY);
    resetPeak();
    await comm.send(big, 1, DATA);
    const peak = peakRssBytes();
    const r = await comm.recv(1, DONE);
    big = null;
    record.receiver[mode] = { rest_MiB: r.before / MiB, peak_MiB: r.peak / MiB, over_rest_MiB: (r.peak - r.before) / MiB };
    record.sender[mode] = { rest_MiB: before / MiB, peak_MiB: peak / MiB, over_rest_MiB: (peak - before) / MiB };
  }
  await settle();
}

if (comm.rank === 1) await comm.send(rest, 0, DONE);
else {
  record.rest_MiB = [rest / MiB, (await comm.recv(1, DONE)) / MiB];
  emit(record);
}
await finalize();
