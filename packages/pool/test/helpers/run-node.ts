/**
 * Run a program of the pool's tests as a user runs one without tsmpiexec (`node --import tsx prog.ts`), with
 * a time bound, and collect its output.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface NodeResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

export function runNode(file: string, args: string[] = [], o: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<NodeResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...o.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')} did not finish within ${o.timeoutMs ?? 30000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, o.timeoutMs ?? 30000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** The environment of a run on one back end (and nothing inherited that would choose another). */
export function backendEnv(backend: 'serial' | 'local', extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { TSMPI_POOL: backend, TSMPI_RANK: undefined, TSMPI_SIZE: undefined, TSMPI_POOL_PROGRESS: undefined, ...extra };
}
