// Ranks that finish at very different times lose nothing (run with -n 5).
// Usage: fault-finalize.mjs <finalize: explicit | implicit | mixed>
// Rank r: sends a burst to every other rank without waiting for the sends;
// waits DELAYS[r]; receives every other rank's burst; then sends a farewell
// burst (ending with an 8 MiB message) to every higher rank — again without
// waiting — and its program is over: with an explicit finalize(), or none (the
// runtime finalizes at exit), or odd ranks one way and even ranks the other.
// Rank r receives the farewells of the lower ranks last, long after their
// programs ended (the last two ranks block their event loop for a while first,
// so those sends are still queued when the senders' programs end). Every message is checked: all there, in order, intact.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalize, init, Status } from '@tsmpi/runtime';

const DELAYS = [0, 150, 500, 1200, 2500];
/** Where rank r says its program has ended (one per job). */
const doneFile = (r) => join(tmpdir(), `tsmpi-finalize-test-${process.env.TSMPI_JOB}-${r}`);
const BURST = 50, FAREWELL = 20;
const mode = process.argv[2] ?? 'mixed';
const comm = await init();
const { rank, size } = comm;
const explicit = mode === 'explicit' || (mode === 'mixed' && rank % 2 === 0);

const byte = (src, dest, seq) => (src * 37 + dest * 11 + seq) & 0xff;
/** Message `seq` of a burst (tag 1) or farewell (tag 2) from `src` to `dest`; the last one of each is big. */
function message(tag, src, dest, seq, n) {
  if (seq === n - 1) return new Uint8Array((tag === 1 ? 4 : 8) << 20).fill(byte(src, dest, seq));
  if (seq % 10 === 0) return { src, dest, seq, tag, data: new Float64Array(1000).fill(src + seq / 1000) };
  return { src, dest, seq, tag, text: `m${src}-${dest}-${seq}` };
}
function check(v, tag, src, seq, n) {
  const want = message(tag, src, rank, seq, n);
  if (want instanceof Uint8Array) {
    assert.ok(v instanceof Uint8Array && v.length === want.length, `big message ${seq} from rank ${src} (tag ${tag}) has the wrong size`);
    const b = byte(src, rank, seq);
    for (let i = 0; i < v.length; i++) if (v[i] !== b) assert.fail(`big message ${seq} from rank ${src} (tag ${tag}) corrupt at byte ${i}`);
  } else {
    assert.deepEqual(v, want, `message ${seq} from rank ${src} (tag ${tag})`);
  }
}
/** Receive `n` messages with `tag` from each of `sources`, in any interleaving; each source's in order. */
async function receiveAll(tag, sources, n) {
  const next = new Map(sources.map((s) => [s, 0]));
  for (let k = 0; k < sources.length * n; k++) {
    const st = new Status();
    const v = await comm.recv(undefined, tag, st);
    const seq = next.get(st.source);
    assert.ok(seq !== undefined && seq < n, `unexpected message from rank ${st.source} with tag ${tag}`);
    check(v, tag, st.source, seq, n);
    next.set(st.source, seq + 1);
  }
}

const others = [...Array(size).keys()].filter((r) => r !== rank);
// Start together (ranks start up at different times on a busy machine), so the delays tell.
if (rank === 0) {
  for (const r of others) assert.equal(await comm.recv(r, 9), 'ready');
  for (const r of others) await comm.send('go', r, 9);
} else {
  await comm.send('ready', 0, 9);
  assert.equal(await comm.recv(0, 9), 'go');
}
for (const d of others) for (let seq = 0; seq < BURST; seq++) void comm.isend(message(1, rank, d, seq, BURST), d, 1);
await new Promise((r) => setTimeout(r, DELAYS[rank] ?? 0));
await receiveAll(1, others, BURST);
console.log(`rank ${rank}: bursts received at ${Date.now()}`);
for (let d = rank + 1; d < size; d++) for (let seq = 0; seq < FAREWELL; seq++) void comm.isend(message(2, rank, d, seq, FAREWELL), d, 2);
const lower = [...Array(rank).keys()];
if (lower.length) {
  // The last ranks are busy a while first (the event loop blocked: they read nothing, so the
  // big farewells to them stay queued on the senders' side while the senders' programs end).
  if (rank >= size - 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 800);
  // The last rank goes on only once ranks 0-2 have ended their programs (each leaves a marker
  // file), however slow the machine: their farewells to it are then queued behind finished programs.
  if (rank === size - 1) {
    const end = Date.now() + 30_000;
    while (![0, 1, 2].every((r) => existsSync(doneFile(r))) && Date.now() < end) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  console.log(`rank ${rank}: receiving farewells from ${Date.now()}`);
  await receiveAll(2, lower, FAREWELL);
}
console.log(`rank ${rank}: all ${others.length * BURST + lower.length * FAREWELL} messages intact; program done at ${Date.now()} (${explicit ? 'explicit finalize' : 'no finalize'})`);
if (rank <= 2) writeFileSync(doneFile(rank), '');
if (rank === size - 1) for (let r = 0; r <= 2; r++) rmSync(doneFile(r), { force: true });
if (explicit) await finalize();
