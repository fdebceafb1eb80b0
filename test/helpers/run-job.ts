/**
 * Run a real job through the real `tsmpiexec` (the built CLI) and collect its
 * output, with a time bound; afterwards check that no process of the job is left.
 */
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TSMPIEXEC = join(ROOT, 'packages', 'launcher', 'dist', 'bin.js');
/** The command users run (npm links it as `tsmpiexec`): a shell script that starts Node on itself. */
export const TSMPIEXEC_COMMAND = join(ROOT, 'packages', 'tsmpi', 'bin', 'tsmpiexec.js');
export const PROGRAMS = join(ROOT, 'test', 'programs');
export const EXAMPLES = join(ROOT, 'examples');

export interface JobResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; pid: number }

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  /** Called with the launcher's pid once it started (to signal it, for example). */
  onStart?: (pid: number) => void;
  /** Start TSMPIEXEC_COMMAND as a command instead of `node dist/bin.js`. */
  asCommand?: boolean;
}

/** `tsmpiexec ...args`; rejects only if the job outlives `timeoutMs` (then it is killed). */
export function runJob(args: string[], o: RunOptions = {}): Promise<JobResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(o.asCommand ? TSMPIEXEC_COMMAND : process.execPath, o.asCommand ? args : [TSMPIEXEC, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => {});
    if (o.input !== undefined) child.stdin.end(o.input); else child.stdin.end();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tsmpiexec ${args.join(' ')} did not finish within ${o.timeoutMs ?? 30000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, o.timeoutMs ?? 30000);
    child.on('spawn', () => o.onStart?.(child.pid!));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, pid: child.pid! });
    });
  });
}

/** Processes whose command line or environment mention `marker` (a unique string given to the job). */
export function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

/** Wait until no process mentions `marker` (up to `ms`); returns the leftovers, if any. */
export async function leftovers(marker: string, ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = processesWith(marker);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
