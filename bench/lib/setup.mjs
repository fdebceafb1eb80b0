/**
 * What this machine offers: the tsmpi launcher, python3 with mpi4py, mpirun,
 * and the machine description stored with every result.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH);

function quiet(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/** The tsmpiexec users run (the umbrella package's bin, else the launcher's). */
function launcher() {
  for (const p of ['packages/tsmpi/dist/bin.js', 'packages/launcher/dist/bin.js']) {
    if (existsSync(join(ROOT, p))) return join(ROOT, p);
  }
  return undefined;
}

/**
 * Python with mpi4py: --python, $BENCH_PYTHON, /usr/bin/python3 (the system one, where
 * Debian's python3-mpi4py lives), then python3 on PATH.
 */
function python(preferred) {
  const candidates = [preferred, process.env.BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  const tried = [];
  for (const py of candidates) {
    const v = quiet(py, ['-c', 'import mpi4py, numpy; print(mpi4py.__version__, numpy.__version__)']);
    if (v) { const [mpi4py, numpy] = v.split(' '); return { python: py, mpi4py, numpy }; }
    tried.push(py);
  }
  return { missing: `no python3 with mpi4py and numpy (tried ${tried.join(', ')})` };
}

function mpirun() {
  const v = quiet('mpirun', ['--version']);
  if (!v) return { missing: 'mpirun not found on PATH' };
  const version = v.split('\n')[0];
  const args = ['--oversubscribe'];
  if (process.getuid?.() === 0) args.unshift('--allow-run-as-root');
  return { mpirun: 'mpirun', version, args };
}

export function detect(opts) {
  const py = python(opts.python);
  const mr = mpirun();
  const mpi = py.missing || mr.missing
    ? { missing: [py.missing, mr.missing].filter(Boolean).join('; ') }
    : { python: py.python, mpi4py: py.mpi4py, numpy: py.numpy, mpirun: mr.mpirun, version: mr.version, args: mr.args };
  return {
    launcher: launcher(),
    tsmpiBuilt: existsSync(join(ROOT, 'packages/tsmpi/dist/index.js')),
    mpi,
  };
}

export function machine() {
  const meminfo = (() => { try { return readFileSync('/proc/meminfo', 'utf8'); } catch { return ''; } })();
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0);
  return {
    date: new Date().toISOString(),
    host: os.hostname(),
    nproc: Number(quiet('nproc', []) ?? os.availableParallelism()),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory_GiB: Math.round((memKiB / 1024 / 1024) * 10) / 10,
    free_h: quiet('free', ['-h']) ?? '',
    loadavg_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/**
 * CPU ticks of the whole machine (busy and total) and of this process with its
 * reaped children (every rank and mpirun run by the benchmark). Two snapshots
 * give the CPU share other processes took during the run: the noise.
 */
export function cpuSnapshot() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const self = readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields 14-17 of /proc/PID/stat (utime stime cutime cstime) are 11-14 after the command name.
    const own = f[11] + f[12] + f[13] + f[14];
    return { total, busy: total - idle, own };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU (0..1) used by processes other than the benchmark between two snapshots. */
export function foreignShare(a, b) {
  if (!a || !b || b.total === a.total) return undefined;
  return Math.max(0, (b.busy - a.busy - (b.own - a.own)) / (b.total - a.total));
}
