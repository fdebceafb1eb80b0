// How tsmpiexec runs each kind of program: TypeScript through its loader, JavaScript
// with this Node, anything else under the guardian; what counts as not found.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, GUARDIAN, ProgramNotFound, programCommand, TS_LOADER } from '@tsmpi/launcher';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsmpi-program-test-'));
  for (const f of ['job.ts', 'job.mts', 'job.js', 'job.mjs', 'job.cjs']) writeFileSync(join(dir, f), '');
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  mkdirSync(join(dir, 'b', 'tool.d'));
  for (const [f, mode] of [['a/tool', 0o755], ['b/tool', 0o755], ['a/plain', 0o644], ['b/plain', 0o755]] as const) {
    writeFileSync(join(dir, f), '#!/bin/sh\n');
    chmodSync(join(dir, f), mode);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NODE = '/opt/node/bin/node';

describe('programCommand', () => {
  it('runs .ts and .mts with Node through the TypeScript loader, no build step', () => {
    for (const f of ['job.ts', 'job.mts']) {
      const c = programCommand(f, ['x', '--y'], NODE, dir, {});
      expect(c.kind).toBe('node');
      expect(c.file).toBe(NODE);
      expect(c.program).toBe(f);
      expect(c.args.slice(-3)).toEqual([join(dir, f), 'x', '--y']);
      const i = c.args.indexOf('--import');
      expect(c.args[i + 1]).toBe(TS_LOADER);
    }
  });

  it('uses tsx instead with TSMPI_TS_LOADER=tsx', () => {
    const c = programCommand('job.ts', [], NODE, dir, { TSMPI_TS_LOADER: 'tsx' });
    expect(c.args[c.args.indexOf('--import') + 1]).toMatch(/\/tsx\//);
  });

  it('runs .js, .mjs and .cjs with Node directly (no TypeScript loader)', () => {
    for (const f of ['job.js', 'job.mjs', 'job.cjs']) {
      const c = programCommand(f, ['x'], NODE, dir, {});
      expect(c).toMatchObject({ kind: 'node', file: NODE, program: f });
      expect(c.args.slice(-2)).toEqual([join(dir, f), 'x']);
      expect(c.args).not.toContain(TS_LOADER);
      expect(c.args.join(' ')).not.toMatch(/tsx/);
    }
  });

  it('preloads the watch that ends a Node rank when tsmpiexec is gone', () => {
    for (const f of ['job.ts', 'job.js']) {
      const c = programCommand(f, [], NODE, dir, {});
      expect(c.args.some((a) => a.endsWith('/rank-watch.js'))).toBe(true);
      // Preloads come before the program, so the program's own arguments are untouched.
      expect(c.args.at(-1)).toBe(join(dir, f));
    }
  });

  it('resolves a program file against the working directory', () => {
    expect(programCommand('./job.ts', [], NODE, dir, {}).args.at(-1)).toBe(join(dir, 'job.ts'));
    expect(programCommand(join(dir, 'job.js'), [], NODE, '/', {}).args.at(-1)).toBe(join(dir, 'job.js'));
  });

  it('says ProgramNotFound for a missing .ts/.js file', () => {
    expect(() => programCommand('missing.ts', [], NODE, dir, {})).toThrow(ProgramNotFound);
    expect(() => programCommand('missing.mjs', [], NODE, dir, {})).toThrow(/program not found: missing\.mjs/);
  });

  it('runs any other executable under the guardian, found on PATH, keeping the name the user gave', () => {
    const c = programCommand('tool', ['-x', 'y'], NODE, dir, { PATH: `${join(dir, 'a')}:${join(dir, 'b')}` });
    expect(c).toEqual({ kind: 'guarded', file: NODE, program: 'tool', args: [GUARDIAN, join(dir, 'a', 'tool'), 'tool', '-x', 'y'] });
    expect(GUARDIAN).toMatch(/guardian\.js$/);
  });

  it('says ProgramNotFound for an executable that is nowhere on PATH', () => {
    expect(() => programCommand('no-such-program-xyz', [], NODE, dir, { PATH: join(dir, 'a') })).toThrow(ProgramNotFound);
    expect(() => programCommand('tool', [], NODE, dir, { PATH: '' })).toThrow(ProgramNotFound);
  });
});

describe('findExecutable', () => {
  const PATH = () => [join(dir, 'a'), join(dir, 'b')].join(':');

  it('takes the first executable match on PATH', () => {
    expect(findExecutable('tool', '/', PATH())).toBe(join(dir, 'a', 'tool'));
  });

  it('skips files that are not executable, and directories', () => {
    expect(findExecutable('plain', '/', PATH())).toBe(join(dir, 'b', 'plain'));
    expect(findExecutable('tool.d', '/', PATH())).toBeUndefined();
  });

  it('treats a name with a slash as a path, relative to the working directory, without PATH', () => {
    expect(findExecutable('./a/tool', dir, '')).toBe(join(dir, 'a', 'tool'));
    expect(findExecutable('a/plain', dir, PATH())).toBeUndefined();
    expect(findExecutable(join(dir, 'b', 'tool'), '/', '')).toBe(join(dir, 'b', 'tool'));
  });

  it('reads an empty PATH entry as the working directory, as a shell does', () => {
    expect(findExecutable('tool', join(dir, 'b'), ':/nonexistent')).toBe(join(dir, 'b', 'tool'));
  });
});
