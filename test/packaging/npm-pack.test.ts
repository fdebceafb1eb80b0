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

  // Each package ships bundled entry points (scripts/bundle.mjs) that keep the other tsmpi
  // packages external: a program that imports several of them has one runtime between them.
  it('has one runtime for a program that imports tsmpi and @tsmpi/runtime, and the /launch subpath', () => {
    writeFileSync(join(project, 'both.mjs'), `import { init, TsmpiError, finalize } from 'tsmpi';
import * as runtime from '@tsmpi/runtime';
import { Env } from '@tsmpi/runtime/launch';
const comm = await init();
let caught;
try { await comm.send(1, comm.size + 5); } catch (err) { caught = err; }
console.log([runtime.isInitialized(), runtime.TsmpiError === TsmpiError, caught instanceof runtime.TsmpiError, caught?.code, Env.RANK].join(' '));
await runtime.finalize();
console.log('finalized', runtime.isFinalized());
await finalize();
`);
    const r = spawnSync('npx', ['--no-install', 'tsmpiexec', '-n', '2', 'both.mjs'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn')).join('\n')).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      'finalized true', 'finalized true',
      'true true true TSMPI_ERR_RANK TSMPI_RANK', 'true true true TSMPI_ERR_RANK TSMPI_RANK',
    ]);
  }, 90_000);

  it('ships type declarations for every entry point', () => {
    for (const [pkg, files] of [
      ['tsmpi', ['index.d.ts']],
      ['@tsmpi/runtime', ['index.d.ts', 'launch/index.d.ts']],
      ['@tsmpi/collectives', ['index.d.ts']],
      ['@tsmpi/pool', ['index.d.ts']],
      ['@tsmpi/launcher', ['index.d.ts']],
    ] as const) {
      for (const f of files) expect(readFileSync(join(project, 'node_modules', pkg, 'dist', f), 'utf8')).toMatch(/export /);
    }
  });
});
