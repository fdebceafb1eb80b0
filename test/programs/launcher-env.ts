// Prints this rank's launch environment as one JSON line, after passing a
// token round the ring (so the ranks are shown to talk, not just to start).
// The same program exists as launcher-env.mts, .js and .mjs for the launcher tests.
import { init } from '@tsmpi/runtime';

const comm = await init();
const left = await comm.sendrecv(`token of ${comm.rank}`, (comm.rank + 1) % comm.size, 0, (comm.rank - 1 + comm.size) % comm.size, 0);
const keys = Object.keys(process.env).filter((k) => /^(TSMPI_|OMPI_COMM_WORLD_|PMI_)/.test(k)).sort();
const env = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
console.log(JSON.stringify({ kind: 'ts', rank: comm.rank, size: comm.size, left, argv: process.argv.slice(2), env }));
