// Mirrors Open MPI's examples/ring_c.c: rank 0 sends the number 10 to the next rank, tag 201; each rank
// passes it on round the ring (next = rank+1 mod size, prev = rank-1 mod size); rank 0 decrements it each
// time it comes back, and every rank leaves once it has passed on 0. Rank 0 then takes the last message so
// none is left in flight.
//
// The original has no checks; this port asserts what it implies: the values a rank passes on count down by
// one per lap, 10, 9, ... 0 on ranks 1..size-1 (11 passes) and 9, 8, ... 0 on rank 0, after its decrement
// (10 passes).
// Runs on any number of ranks (on 1 rank it sends to itself):  npx tsmpiexec -n 4 examples/ring.ts
import assert from 'node:assert/strict';
import { init } from 'tsmpi';

const comm = await init();
const rank = comm.rank;
const size = comm.size;
const tag = 201;
const next = (rank + 1) % size;
const prev = (rank + size - 1) % size;

let message = 10;
if (rank === 0) {
  console.log(`Process 0 sending ${message} to ${next}, tag ${tag} (${size} processes in ring)`);
  await comm.send(message, next, tag);
  console.log(`Process 0 sent to ${next}`);
}

let passes = 0;
for (;;) {
  const received: number = await comm.recv(prev, tag);
  message = received;
  if (rank === 0) {
    --message;
    console.log(`Process 0 decremented value: ${message}`);
  }
  assert.equal(message, rank === 0 ? 9 - passes : 10 - passes, `rank ${rank} saw ${message} on pass ${passes}`);
  await comm.send(message, next, tag);
  passes++;
  if (message === 0) {
    console.log(`Process ${rank} exiting`);
    break;
  }
}
assert.equal(passes, rank === 0 ? 10 : 11, `rank ${rank} passed the message on ${passes} times`);

// The last message (0) comes back to rank 0; take it so nothing is left in flight.
if (rank === 0) {
  const last: number = await comm.recv(prev, tag);
  assert.equal(last, 0);
}
