// Fault injection: every rank runs the same 20 stages — start-up, point-to-point
// exchanges, each collective, finalize — and one rank fails at a chosen point.
// Usage: fault-points.mjs <point> <how> [failing rank = 2]
//   point: one of STAGES (fault-stages.mjs) (or `none`: nobody fails, every stage is checked)
//   how:   throw | exit:N | kill (SIGKILL)
// Inside a stage the failing rank fails right after its first message operation
// of that stage has started (a send handed to the transport, a receive or probe
// posted), so the other ranks are left inside the same operation, waiting on it.
// The failing rank first prints `fault: rank R pid P failing (how) at <point> at <epoch ms>`
// to stderr (pipes are synchronous: the line is out before the failure).
import assert from 'node:assert/strict';
import { init, SUM } from '@tsmpi/collectives';
import { finalize, Status } from '@tsmpi/runtime';
import { STAGES } from './fault-stages.mjs';


const [point = 'none', how = 'throw', who = '2'] = process.argv.slice(2);
if (point !== 'none' && !STAGES.includes(point)) throw new Error(`unknown point ${point}`);
const me = Number(process.env.TSMPI_RANK);
const failing = me === Number(who) && point !== 'none';

function fail(where) {
  process.stderr.write(`fault: rank ${me} pid ${process.pid} failing (${how}) at ${where} at ${Date.now()}\n`);
  const [kind, arg] = how.split(':');
  if (kind === 'exit') process.exit(Number(arg));
  if (kind === 'kill') {
    process.kill(process.pid, 'SIGKILL');
    // (Delivered at once to ourselves; never run on past it.)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
  if (kind !== 'throw') throw new Error(`unknown failure ${how}`);
  // An exception of this rank's own, thrown inside the operation's call chain but not
  // caught by it (a collective would turn an error it sees into failure notes).
  queueMicrotask(() => { throw new Error(`rank ${me} fails on purpose at ${where}`); });
}

if (failing && point === 'before-init') fail(point);
const comm = await init();
const { rank, size } = comm;
assert.equal(rank, me);
if (failing && point === 'after-init') fail(point);

/** Arm the failure for `stage`: it fires after the first engine operation the stage starts. */
let armed = false;
if (failing) {
  const engine = comm.engine;
  for (const name of ['send', 'post', 'probe']) {
    const orig = engine[name].bind(engine);
    engine[name] = (...args) => {
      const result = orig(...args);
      if (armed) { armed = false; fail(`${point} (engine.${name})`); }
      return result;
    };
  }
  // finalize() talks to tsmpiexec on the control channel: fail once it has announced itself.
  const send = process.send.bind(process);
  process.send = (m, ...rest) => {
    const r = send(m, ...rest);
    if (point === 'finalize' && m?.t === 'finalize') fail('finalize (closing barrier)');
    return r;
  };
}

const next = (rank + 1) % size, prev = (rank + size - 1) % size;
const stages = {
  async send() {
    await comm.send({ from: rank, stage: 'send' }, next, 10);
    assert.deepEqual(await comm.recv(prev, 10), { from: prev, stage: 'send' });
  },
  async recv() {
    // A token passed round the ring: everyone but rank 0 receives first.
    if (rank !== 0) assert.equal(await comm.recv(prev, 11), prev);
    await comm.send(rank, next, 11);
    if (rank === 0) assert.equal(await comm.recv(prev, 11), prev);
  },
  async ['isend-irecv']() {
    const others = [...Array(size).keys()].filter((r) => r !== rank);
    const rs = others.map((r) => comm.irecv(r, 12));
    const ss = others.map((r) => comm.isend([rank, r], r, 12));
    const got = await Promise.all(rs.map((r) => r.wait()));
    await Promise.all(ss.map((s) => s.wait()));
    assert.deepEqual(got, others.map((r) => [r, rank]));
  },
  async sendrecv() {
    assert.equal(await comm.sendrecv(`s${rank}`, next, 13, prev, 13), `s${prev}`);
  },
  async probe() {
    await comm.send(new Float64Array(5).fill(rank), next, 14);
    const st = await comm.probe(prev, 14, new Status());
    assert.equal(st.count, 40);
    assert.deepEqual(await comm.recv(prev, 14), new Float64Array(5).fill(prev));
  },
  async ['Send-Recv']() {
    const buf = new Int32Array(1000);
    // Pairs (0,1) and (2,3): the lower one sends first.
    const peer = rank ^ 1;
    if (peer >= size) return;
    if (rank < peer) { await comm.Send(new Int32Array(1000).fill(rank), peer, 15); await comm.Recv(buf, peer, 15); }
    else { await comm.Recv(buf, peer, 15); await comm.Send(new Int32Array(1000).fill(rank), peer, 15); }
    assert.ok(buf.every((x) => x === peer));
  },
  async barrier() { await comm.barrier(); },
  async bcast() { assert.deepEqual(await comm.bcast(rank === 2 % size ? { big: 'x'.repeat(100_000) } : null, 2 % size), { big: 'x'.repeat(100_000) }); },
  async scatter() { assert.equal(await comm.scatter(rank === 2 % size ? [...Array(size).keys()].map((i) => i * 10) : null, 2 % size), rank * 10); },
  async gather() {
    const g = await comm.gather(rank + 1, 0);
    if (rank === 0) assert.deepEqual(g, [...Array(size).keys()].map((i) => i + 1)); else assert.equal(g, null);
  },
  async allgather() { assert.deepEqual(await comm.allgather(`r${rank}`), [...Array(size).keys()].map((i) => `r${i}`)); },
  async alltoall() { assert.deepEqual(await comm.alltoall([...Array(size).keys()].map((d) => rank * 100 + d)), [...Array(size).keys()].map((s) => s * 100 + rank)); },
  async reduce() {
    const r = await comm.reduce(rank, SUM, 1 % size);
    assert.equal(r, rank === 1 % size ? (size * (size - 1)) / 2 : null);
  },
  async allreduce() { assert.equal(await comm.allreduce(rank + 1, SUM), (size * (size + 1)) / 2); },
  async scan() { assert.equal(await comm.scan(1), rank + 1); },
  async Bcast() {
    const buf = new Float64Array(50_000);
    if (rank === 0) buf.fill(3.25);
    await comm.Bcast(buf, 0);
    assert.ok(buf.every((x) => x === 3.25));
  },
  async Allreduce() {
    const out = new Int32Array(10);
    await comm.Allreduce(new Int32Array(10).fill(rank), out, SUM);
    assert.ok(out.every((x) => x === (size * (size - 1)) / 2));
  },
};

for (const stage of STAGES.slice(2, -1)) {
  armed = failing && stage === point;
  await stages[stage]();
  assert.equal(armed, false, `the ${stage} stage started no message operation on the failing rank`);
}
await finalize();
console.log(`rank ${rank}: all ${STAGES.length} stages done`);
