/**
 * Memory: RSS per rank at rest, and the peak while receiving a 64 MiB
 * Float64Array, on each transport; then the same receive in a raw Node process
 * (default socket reads and a reused `onread` buffer), the limit for Node.
 */
import { join } from 'node:path';
import { outcome, run, startServer } from '../lib/proc.mjs';
import { BENCH } from '../lib/setup.mjs';
import { RAW_KIND } from './p2p.mjs';

export const MEMORY_BYTES = 64 << 20;

export async function memorySuite({ opts, setup, log }) {
  const impls = {};
  for (const t of opts.transports) {
    log(`memory: tsmpi --transport ${t}`);
    const r = await run(process.execPath, [setup.launcher, '-n', '2', '--transport', t, join(BENCH, 'programs/memory.mjs'), JSON.stringify({ bytes: MEMORY_BYTES })], { timeoutMs: 120_000 });
    impls[`tsmpi-${t}`] = outcome(r, `tsmpi --transport ${t}`);
  }
  const raw = {};
  const kinds = [...new Set(opts.transports.map((t) => RAW_KIND[t]).filter((k) => k !== 'ws'))];
  for (const kind of kinds) {
    for (const reads of ['default', 'onread']) {
      log(`memory: raw Node over ${kind}, ${reads} reads`);
      raw[`node-${kind}-${reads}`] = await rawReceive(kind, reads);
    }
  }
  return { bytes: MEMORY_BYTES, impls, raw };
}

async function rawReceive(kind, reads) {
  const prog = join(BENCH, 'baselines/node-memory.mjs');
  let sender;
  try {
    sender = await startServer(process.execPath, [prog, 'send', kind, String(MEMORY_BYTES)]);
    const r = await run(process.execPath, [prog, 'recv', kind, sender.address, reads], { timeoutMs: 60_000 });
    return outcome(r, `raw ${kind} receive`);
  } catch (err) {
    return { missing: `raw receive failed: ${err.message}` };
  } finally {
    sender?.stop();
  }
}
