// Ranks that finish early while another rank still receives their messages
// (run with -n 3): rank 1 sends a burst without waiting for the sends and calls
// finalize(); rank 2 does the same and simply ends (no finalize: it runs at exit).
// Rank 0 starts receiving only after both are done, gets every message intact
// and in order, and its own sends to the finished ranks complete (no hang).
// Usage: p2p-early.ts <marker>
import assert from 'node:assert/strict';
import { finalize, init, Status } from '@tsmpi/runtime';

const comm = await init();
const { rank } = comm;
const N = 300;
const BIG = 2 * 1024 * 1024; // elements: a 16 MiB Float64Array

function message(from: number, seq: number): unknown {
  if (seq === N - 1) return new Float64Array(BIG).fill(from + 0.5); // the last one is the largest
  return seq % 50 === 0 ? { from, seq, blob: new Uint8Array(100_000).fill(seq & 0xff) } : { from, seq };
}

if (rank === 1 || rank === 2) {
  for (let seq = 0; seq < N; seq++) void comm.isend(message(rank, seq), 0, 7); // never awaited
  console.log(`rank ${rank}: program done at ${Date.now()} (${rank === 1 ? 'explicit finalize' : 'no finalize'})`);
  void comm.isend('done', 0, 9);
  if (rank === 1) await finalize();
} else if (rank === 0) {
  // Start receiving only once both programs are over: their 'done' (sent last) is here, then a moment more.
  await comm.probe(1, 9);
  await comm.probe(2, 9);
  await new Promise((r) => setTimeout(r, 500));
  console.log(`rank 0: receiving from ${Date.now()}`);
  const seen: Record<number, number> = { 1: 0, 2: 0 };
  for (let k = 0; k < 2 * N; k++) {
    const st = new Status();
    const v = await comm.recv(undefined, 7, st);
    const seq = seen[st.source]!++;
    if (seq === N - 1) {
      assert.ok(v instanceof Float64Array && v.length === BIG && v.every((x) => x === st.source + 0.5), 'the 16 MiB message is intact');
    } else {
      const m = v as { from: number; seq: number; blob?: Uint8Array };
      assert.equal(m.from, st.source);
      assert.equal(m.seq, seq, `message ${seq} from rank ${st.source} lost or out of order (got ${m.seq})`);
      if (seq % 50 === 0) assert.ok(m.blob instanceof Uint8Array && m.blob.length === 100_000 && m.blob.every((x) => x === (seq & 0xff)));
    }
  }
  assert.deepEqual(seen, { 1: N, 2: N });
  assert.equal(await comm.recv(1, 9), 'done');
  assert.equal(await comm.recv(2, 9), 'done');
  // Sends to ranks whose programs are over still complete.
  for (const dest of [1, 2]) {
    await comm.send('too late to be received', dest, 8);
    await comm.send(new Float64Array(BIG), dest, 8);
  }
  console.log(`rank 0: received all ${2 * N} messages from the finished ranks`);
}
