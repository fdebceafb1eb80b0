#!/usr/bin/env node
/**
 * Tiny-task throughput of task pools: tasks per second on 4 workers for a task that does nothing
 * (`inc(x) = x + 1`), tsmpi's PoolExecutor on ranks (tsmpiexec -n 5) and on 4 worker threads, beside
 * mpi4py.futures (mpirun -n 5 python3 -m mpi4py.futures) on the same machine when it is installed.
 * Two figures each: N futures submitted then awaited, and a map of N inputs (chunksize 1). A third tsmpi row
 * runs with `prefetch: 0`, mpi4py's scheme of one task per worker in flight. Runs alternate
 * between the implementations (so a busy moment of the machine does not favour one) and the median of the
 * rounds is reported. Target: tsmpi on ranks at least 1.0x mpi4py.futures.
 *
 *   npm run build && node bench/pool-throughput.mjs [--tasks N] [--rounds R] [--python PATH] [--json FILE]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSMPIEXEC = join(ROOT, 'packages', 'launcher', 'dist', 'bin.js');
const WORKERS = 4;

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    python: { type: 'string', default: process.env.BENCH_PYTHON ?? '/usr/bin/python3' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: node bench/pool-throughput.mjs [--tasks N (20000)] [--rounds R (3)] [--python PATH] [--json FILE]');
  process.exit(0);
}
const n = Number(values.tasks);
const rounds = Number(values.rounds);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  const line = r.stdout?.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (r.status !== 0 || !line) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line);
}

function mpi4pyAvailable() {
  const py = spawnSync(values.python, ['-c', 'import mpi4py; print(mpi4py.__version__)'], { encoding: 'utf8' });
  const mpirun = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  if (py.status !== 0 || mpirun.status !== 0) return undefined;
  return { mpi4py: py.stdout.trim(), mpirun: mpirun.stdout.split('\n')[0] };
}

const impls = [
  { name: 'tsmpi PoolExecutor, ranks (tsmpiexec -n 5)', run: () => run(process.execPath, [TSMPIEXEC, '-n', String(WORKERS + 1), 'bench/pool/tiny-tasks.mjs', String(n)], { TSMPI_POOL: '' }) },
  { name: `tsmpi PoolExecutor, local (${WORKERS} worker threads)`, run: () => run(process.execPath, ['bench/pool/tiny-tasks.mjs', String(n)], { TSMPI_POOL: 'local', TSMPI_POOL_WORKERS: String(WORKERS) }) },
  // mpi4py's scheme (one task per worker in flight, no batching), to show what batching is worth.
  { name: 'tsmpi PoolExecutor, ranks, prefetch: 0', run: () => run(process.execPath, [TSMPIEXEC, '-n', String(WORKERS + 1), 'bench/pool/tiny-tasks.mjs', String(n), '0'], { TSMPI_POOL: '' }) },
];
const mpi = mpi4pyAvailable();
if (mpi) {
  impls.push({
    name: `mpi4py.futures ${mpi.mpi4py} (mpirun -n 5)`,
    run: () => run('mpirun', ['--allow-run-as-root', '--oversubscribe', '-n', String(WORKERS + 1), values.python, '-m', 'mpi4py.futures', 'bench/pool/tiny_tasks.py', String(n)]),
  });
} else {
  process.stderr.write(`mpi4py or mpirun not found (python: ${values.python}): reporting tsmpi alone\n`);
}

const samples = impls.map(() => ({ submit: [], map: [] }));
for (let r = 0; r < rounds; r++) {
  impls.forEach((impl, i) => {
    process.stderr.write(`round ${r + 1}/${rounds}: ${impl.name}\n`);
    const s = impl.run();
    samples[i].submit.push(s.submit);
    samples[i].map.push(s.map);
  });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const results = impls.map((impl, i) => ({ impl: impl.name, submit: median(samples[i].submit), map: median(samples[i].map), samples: samples[i] }));
const base = mpi ? results.at(-1) : undefined;
const fmt = (x) => Math.round(x).toLocaleString('en-US');
const ratio = (x, b) => (b ? `${(x / b).toFixed(2)}x` : '-');

console.log(`# Pool throughput: ${n.toLocaleString('en-US')} tiny tasks on ${WORKERS} workers, median of ${rounds} rounds`);
console.log(`\n${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, Node ${process.version}${mpi ? `, ${mpi.mpirun}` : ''}\n`);
console.log('| implementation | submit + await (tasks/s) | map (tasks/s) | vs mpi4py.futures (submit / map) |');
console.log('| --- | ---: | ---: | --- |');
for (const r of results) console.log(`| ${r.impl} | ${fmt(r.submit)} | ${fmt(r.map)} | ${r === base ? '1.00x / 1.00x' : `${ratio(r.submit, base?.submit)} / ${ratio(r.map, base?.map)}`} |`);
if (base) {
  const ranks = results[0];
  const worst = Math.min(ranks.submit / base.submit, ranks.map / base.map);
  console.log(`\ntarget: tsmpi on ranks >= 1.0x mpi4py.futures: ${worst >= 1 ? 'met' : 'NOT met'} (${worst.toFixed(2)}x at worst)`);
}
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), tasks: n, workers: WORKERS, rounds, machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), loadavg: os.loadavg(), node: process.version }, mpi, results }, null, 2));
}
