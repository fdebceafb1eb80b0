// Without tsmpiexec, a program is a world of size 1 whose sends to self work:
// `npx tsx p2p-singleton.ts` and, for plain JavaScript, `node prog.js` (the same
// program, which is written in the JavaScript subset of TypeScript).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, PROGRAMS, ROOT } from '../helpers/run-job.js';
import { marker } from './p2p-job.js';

interface Ran { code: number | null; stdout: string; stderr: string }

/** Run a command with no TSMPI_* variables in its environment, killed after `ms`. */
function run(cmd: string, args: string[], cwd: string, ms = 60_000): Promise<Ran> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TSMPI_')));
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${ms} ms\n${stdout}\n${stderr}`)); }, ms);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('singleton (no launcher)', () => {
  it('npx tsx p2p-singleton.ts: size 1, self-sends work', async () => {
    const mark = marker('singleton-tsx');
    const res = await run('npx', ['tsx', join(PROGRAMS, 'p2p-singleton.ts'), mark], ROOT);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toBe('singleton ok: rank 0 of 1\n');
    expect(await leftovers(mark)).toEqual([]);
  }, 90_000);

  it('node prog.js: size 1, self-sends work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsmpi-singleton-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'singleton-job', private: true, type: 'module' }));
    mkdirSync(join(dir, 'node_modules', '@tsmpi'), { recursive: true });
    symlinkSync(join(ROOT, 'packages', 'runtime'), join(dir, 'node_modules', '@tsmpi', 'runtime'), 'dir');
    copyFileSync(join(PROGRAMS, 'p2p-singleton.ts'), join(dir, 'prog.js'));
    const mark = marker('singleton-node');
    const res = await run(process.execPath, ['prog.js', mark], dir);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toBe('singleton ok: rank 0 of 1\n');
    expect(res.stderr).toBe('');
    expect(await leftovers(mark)).toEqual([]);
  }, 90_000);
});
