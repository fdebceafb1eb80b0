/**
 * Point-to-point benchmark, 2 ranks: rank 0 drives (bench/lib/p2p-driver.mjs),
 * rank 1 follows the commands it receives on a control tag.
 *
 * Modes: `object` — send/recv of { a, b, c, data: Float64Array } (the payload
 * inside a small object); `typed` — send/recv of a bare Float64Array; `buffer`
 * — Send/Recv of a Float64Array into a preallocated one.
 */
import { init, finalize } from 'tsmpi';
import { config, emit, now } from '../lib/measure.mjs';
import { driveP2P, objectPayload } from '../lib/p2p-driver.mjs';

const CTRL = 99, DATA = 1, ACK = 2;
const cfg = config();
const comm = await init();
if (comm.size !== 2) throw new Error('the point-to-point benchmark runs on 2 ranks');

const payload = (mode, size) => (mode === 'object' ? objectPayload(size) : new Float64Array(size / 8).fill(1.5));

if (comm.rank === 0) {
  const rtt = async (mode, size, n) => {
    await comm.send({ op: 'rtt', mode, size, n }, 1, CTRL);
    const times = new Array(n);
    const msg = payload(mode, size);
    if (mode === 'buffer') {
      const back = new Float64Array(size / 8);
      for (let i = 0; i < n; i++) {
        const t0 = now();
        await comm.Send(msg, 1, DATA);
        await comm.Recv(back, 1, DATA);
        times[i] = now() - t0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const t0 = now();
        await comm.send(msg, 1, DATA);
        await comm.recv(1, DATA);
        times[i] = now() - t0;
      }
    }
    return times;
  };
  const bw = async (mode, size, n) => {
    await comm.send({ op: 'bw', mode, size, n }, 1, CTRL);
    await comm.recv(1, ACK); // the receiver is ready
    const msg = payload(mode, size);
    const t0 = now();
    if (mode === 'buffer') for (let i = 0; i < n; i++) await comm.Send(msg, 1, DATA);
    else for (let i = 0; i < n; i++) await comm.send(msg, 1, DATA);
    await comm.recv(1, ACK);
    return now() - t0;
  };
  const result = await driveP2P(cfg, { rttModes: cfg.modes, bwModes: cfg.bwModes, rtt, bw });
  await comm.send({ op: 'stop' }, 1, CTRL);
  emit({ kind: 'p2p', ...result });
} else {
  for (;;) {
    const cmd = await comm.recv(0, CTRL);
    if (cmd.op === 'stop') break;
    const { mode, size, n } = cmd;
    if (cmd.op === 'rtt') await (mode === 'buffer' ? echoInto(new Float64Array(size / 8), n) : echo(n));
    else {
      await comm.send(0, 0, ACK);
      await (mode === 'buffer' ? drainInto(new Float64Array(size / 8), n) : drain(n));
      await comm.send(0, 0, ACK);
    }
  }
}

// Rank 1's loops, each in a function of its own: a loop that awaits in the module's body makes V8
// optimize the whole body once it is hot, and again after each loop (collectives.mjs, repeat()).
async function echo(n) {
  for (let i = 0; i < n; i++) await comm.send(await comm.recv(0, DATA), 0, DATA);
}
async function echoInto(buf, n) {
  for (let i = 0; i < n; i++) {
    await comm.Recv(buf, 0, DATA);
    await comm.Send(buf, 0, DATA);
  }
}
async function drain(n) {
  for (let i = 0; i < n; i++) await comm.recv(0, DATA);
}
async function drainInto(buf, n) {
  for (let i = 0; i < n; i++) await comm.Recv(buf, 0, DATA);
}
await finalize();
