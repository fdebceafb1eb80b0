// Prints, as one JSON line, this rank's NODE_EXTRA_CA_CERTS and launcher stash variable, and the
// NODE_EXTRA_CA_CERTS its parent process (tsmpiexec) was started with (null: none), from /proc.
import { readFileSync } from 'node:fs';

const startedWith = (pid) => readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')
  .find((kv) => kv.startsWith('NODE_EXTRA_CA_CERTS='))?.slice('NODE_EXTRA_CA_CERTS='.length) ?? null;
console.log(JSON.stringify({
  rank: Number(process.env.TSMPI_RANK),
  certs: process.env.NODE_EXTRA_CA_CERTS ?? null,
  stash: process.env.TSMPI_LAUNCHER_EXTRA_CA_CERTS ?? null,
  parent: startedWith(process.ppid),
}));
