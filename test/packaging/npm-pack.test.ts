/**
 * As a user outside this repository installs it: the four packages packed with
 * `npm pack` and installed together into an empty project give a working
 * `import { init } from 'tsmpi'` and `npx tsmpiexec`, for JavaScript and TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-job.js';

// Every workspace package, as the root package.json lists them.
const WORKSPACES: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;
let dir: string;
let project: string;

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}

describe('npm pack + install into an empty project', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsmpi-pack-'));
    const packs = join(dir, 'packs');
    project = join(dir, 'project');
    mkdirSync(packs);
    mkdirSync(project);
    for (const ws of WORKSPACES) npm(['pack', '--silent', '--pack-destination', packs], join(ROOT, ws));
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    expect(tarballs).toHaveLength(WORKSPACES.length);
    npm(['init', '-y'], project);
    npm(['pkg', 'set', 'type=module'], project);
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], project);
  }, 300_000);

  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const job = `import { init, SUM } from 'tsmpi';
const comm = await init();
const total = await comm.allreduce(comm.rank + 1, SUM);
const echoed = await comm.sendrecv(new Float64Array([comm.rank]), (comm.rank + 1) % comm.size, 0, (comm.rank + comm.size - 1) % comm.size, 0);
console.log('rank', comm.rank, 'of', comm.size, 'total', total, 'from', echoed[0]);
`;

  for (const [name, file] of [['JavaScript', 'job.mjs'], ['TypeScript', 'job.ts']] as const) {
    it(`runs a ${name} job with npx tsmpiexec`, () => {
      writeFileSync(join(project, file), file.endsWith('.ts') ? job.replace('const comm', 'const comm: Awaited<ReturnType<typeof init>>') : job);
      const r = spawnSync('npx', ['--no-install', 'tsmpiexec', '-n', '3', file], { cwd: project, encoding: 'utf8', timeout: 60_000 });
      // npm itself may warn about the machine's own npm configuration; nothing else may appear.
      expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn')).join('\n')).toBe('');
      expect(r.status).toBe(0);
      const lines = r.stdout.trim().split('\n').sort();
      expect(lines).toEqual([0, 1, 2].map((k) => `rank ${k} of 3 total 6 from ${(k + 2) % 3}`));
    }, 90_000);
  }
});
