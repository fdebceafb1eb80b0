/**
 * Helpers for the launcher's integration tests: a marker in the environment
 * of every process of a job (inherited by ranks, guardians and whatever they
 * start), to find any process a job left behind, and a private TMPDIR, to
 * find any file or socket directory it left behind; and a job that can be
 * watched and signalled while it runs.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT, TSMPIEXEC, type JobResult } from '../helpers/run-job.js';

export const MARKER_VAR = 'TSMPI_TEST_MARKER';

/** The private TMPDIR of each marker's job (see marked()). */
const tmpDirs = new Map<string, string>();

/**
 * A fresh marker and the environment that carries it, with a TMPDIR of the
 * job's own: tsmpiexec makes the job's socket directory there, and a job must
 * leave nothing in it (leftoversMarked() checks). TypeScript ranks keep the
 * shared compile cache, which is meant to outlive jobs, and so does Node's own
 * (`module.enableCompileCache`, Node 22 and later; by default in TMPDIR).
 */
export function marked(): { marker: string; env: Record<string, string> } {
  const marker = `launcher-test-${randomBytes(6).toString('hex')}`;
  const tmp = mkdtempSync(join(tmpdir(), `${marker}-tmp-`));
  tmpDirs.set(marker, tmp);
  const cache = process.env.TSMPI_TS_CACHE || join(tmpdir(), `tsmpi-ts-${process.getuid?.() ?? 'user'}`);
  const nodeCache = process.env.NODE_COMPILE_CACHE || join(tmpdir(), 'node-compile-cache');
  return { marker, env: { [MARKER_VAR]: marker, TMPDIR: tmp, TSMPI_TS_CACHE: cache, NODE_COMPILE_CACHE: nodeCache } };
}

// A test that failed before its leftovers check, or has none, still leaves nothing behind.
afterAll(() => {
  for (const tmp of tmpDirs.values()) rmSync(tmp, { recursive: true, force: true });
  tmpDirs.clear();
});

/** What the marker's job left in its TMPDIR, as "left PATH". */
function filesLeft(marker: string): string[] {
  const tmp = tmpDirs.get(marker);
  if (!tmp) return [];
  try {
    return readdirSync(tmp).map((e) => `left ${join(tmp, e)}`);
  } catch { return []; }
}

/** Live processes (not zombies) whose environment holds `marker`, as "pid command line". */
export function processesMarked(marker: string): string[] {
  const needle = Buffer.from(`${MARKER_VAR}=${marker}\0`);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`).includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    } catch { /* gone meanwhile, or not ours to read */ }
  }
  return found;
}

/**
 * Wait up to `ms` for every process holding `marker` to end and for its job's
 * TMPDIR to be empty; returns the processes and files still there (and removes
 * the TMPDIR once nothing is left).
 */
export async function leftoversMarked(marker: string, ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = [...processesMarked(marker), ...filesLeft(marker)];
    if (left.length === 0) {
      const tmp = tmpDirs.get(marker);
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      tmpDirs.delete(marker);
    }
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RunningJob {
  pid: number;
  stdin: NodeJS.WritableStream;
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` shows in the output so far (stdout by default); rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** The job's end; rejects if it outlives `timeoutMs` (then it is killed). */
  done: Promise<JobResult>;
}

/** Start `tsmpiexec ...args` and hand it back while it runs (stdin left open). */
export function startJob(args: string[], o: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): RunningJob {
  const t0 = Date.now();
  const child = spawn(process.execPath, [TSMPIEXEC, ...args], {
    cwd: o.cwd ?? ROOT, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdin.on('error', () => {});
  const done = new Promise<JobResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tsmpiexec ${args.join(' ')} did not finish within ${o.timeoutMs ?? 30000} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, o.timeoutMs ?? 30000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - t0, pid: child.pid! });
    });
  });
  done.catch(() => {});
  return {
    pid: child.pid!,
    stdin: child.stdin,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, ms = 20000, stream = 'stdout') {
      const end = Date.now() + ms;
      while (!pattern.test(stream === 'stdout' ? out : err)) {
        if (Date.now() > end || child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${pattern} did not show in ${stream} of tsmpiexec ${args.join(' ')}\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    done,
  };
}

/** The launcher's own lines (tsmpiexec: ...) in a job's stderr. */
export function launcherLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('tsmpiexec: '));
}
