// Prints this rank's launch environment as one JSON line (for the launcher tests).
import { init } from '@tsmpi/runtime';

const comm = await init();
const keys = Object.keys(process.env).filter((k) => /^(TSMPI_|OMPI_COMM_WORLD_|PMI_)/.test(k)).sort();
const env = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
console.log(JSON.stringify({ rank: comm.rank, size: comm.size, argv: process.argv.slice(2), env }));
