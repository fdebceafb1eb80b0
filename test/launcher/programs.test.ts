// tsmpiexec runs each kind of program: TypeScript (.ts, .mts, no build step),
// JavaScript (.js, .mjs) and any executable, and gives every rank its place in
// the job under tsmpi's, Open MPI's and PMI's names. No process is left after.
import { hostname } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS, ROOT, runJob, type JobResult } from '../helpers/run-job.js';
import { leftoversMarked, marked } from './helpers.js';

interface EnvLine { kind: string; rank: number; size: number; left: string; argv: string[]; env: Record<string, string> }

/** The variables every rank of an `np`-rank single-host job must see. */
function expectedEnv(rank: number, np: number): Record<string, string> {
  const r = String(rank), n = String(np);
  return {
    TSMPI_RANK: r, TSMPI_SIZE: n, TSMPI_LOCAL_RANK: r, TSMPI_LOCAL_SIZE: n,
    OMPI_COMM_WORLD_RANK: r, OMPI_COMM_WORLD_SIZE: n, OMPI_COMM_WORLD_LOCAL_RANK: r, OMPI_COMM_WORLD_LOCAL_SIZE: n,
    PMI_RANK: r, PMI_SIZE: n,
  };
}

function checkEnvJob(res: JobResult, np: number, kind: string, argv: string[]): void {
  expect(res.code, res.stderr).toBe(0);
  const lines = res.stdout.trim().split('\n');
  expect(lines).toHaveLength(np);
  const byRank = lines.map((l) => JSON.parse(l) as EnvLine).sort((a, b) => a.rank - b.rank);
  byRank.forEach((l, rank) => {
    expect(l.kind).toBe(kind);
    expect(l.rank).toBe(rank);
    expect(l.size).toBe(np);
    expect(l.left).toBe(`token of ${(rank - 1 + np) % np}`);
    expect(l.argv).toEqual(argv);
    expect(l.env).toMatchObject(expectedEnv(rank, np));
  });
}

async function envJob(program: string, np: number, kind: string): Promise<void> {
  const { marker, env } = marked();
  const argv = ['--flag', 'two words', ''];
  const res = await runJob(['-n', String(np), join(PROGRAMS, program), ...argv], { env, timeoutMs: 30_000 });
  checkEnvJob(res, np, kind, argv);
  expect(await leftoversMarked(marker)).toEqual([]);
}

describe('tsmpiexec runs programs of every kind', () => {
  it('a TypeScript program on 4 ranks, with no build step', () => envJob('launcher-env.ts', 4, 'ts'));
  it('a .mts program', () => envJob('launcher-env.mts', 2, 'mts'));
  it('a .js program', () => envJob('launcher-env.js', 2, 'js'));
  it('a .mjs program', () => envJob('launcher-env.mjs', 2, 'mjs'));

  it('more ranks than cores (8)', () => envJob('launcher-env.ts', 8, 'ts'));

  it('a non-Node executable: -n 2 hostname', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', 'hostname'], { env, timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(`${hostname()}\n${hostname()}\n`);
    expect(res.stderr).toBe('');
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it("a shell command sees each rank's variables, and its arguments unchanged", async () => {
    const { marker, env } = marked();
    const names = Object.keys(expectedEnv(0, 1));
    const script = `echo "$0|$1|${names.map((n) => `${n}=$${n}`).join(' ')}"`;
    const res = await runJob(['-n', '3', 'sh', '-c', script, 'zero', 'one two'], { env, timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n').sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(lines).toHaveLength(3);
    lines.forEach((line, rank) => {
      const [zero, one, vars] = line.split('|');
      expect([zero, one]).toEqual(['zero', 'one two']);
      expect(Object.fromEntries(vars!.split(' ').map((kv) => kv.split('=')))).toEqual(expectedEnv(rank, 3));
    });
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('a Node program named as `node file` still joins the job (through the guardian)', async () => {
    const { marker, env } = marked();
    const res = await runJob(['-n', '2', process.execPath, join(PROGRAMS, 'launcher-env.mjs'), 'x'], { env, timeoutMs: 20_000 });
    checkEnvJob(res, 2, 'mjs', ['x']);
    expect(await leftoversMarked(marker)).toEqual([]);
  });

  it('`npx tsmpiexec` works from the repository root', async () => {
    const { marker, env } = marked();
    const res = await new Promise<JobResult>((resolve, reject) => {
      const t0 = Date.now();
      const child = spawn('npx', ['--no-install', 'tsmpiexec', '-n', '2', 'test/programs/launcher-env.mjs'], {
        cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '', stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`npx tsmpiexec did not finish\n${stdout}\n${stderr}`)); }, 30_000);
      child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, pid: child.pid! }); });
    });
    checkEnvJob(res, 2, 'mjs', []);
    expect(await leftoversMarked(marker)).toEqual([]);
  });
});
