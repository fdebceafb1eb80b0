// tsmpiexec's TypeScript loader (typescript/register.ts) on real Node processes:
// ES modules and CommonJS, the import forms tsx allows, tsconfig options,
// stack traces at .ts lines, and the disk cache.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TS_LOADER } from '@tsmpi/launcher';

let dir: string;
let cache: string;

const FILES: Record<string, string> = {
  'esm/package.json': '{ "type": "module" }',
  'esm/main.ts': [
    "import { add } from './util.js';",
    "import { mul } from './util2.ts';",
    "import { sub } from './noext';",
    "import { idx } from './lib';",
    "import type { Shape } from './types.js';",
    "import plain from './plain.cjs';",
    "import { cval } from './named.cjs';",
    'const s: Shape = { a: 1 };',
    'class Point { x = 1; constructor(public y: number) {} }',
    'enum Color { Red, Green }',
    "console.log(['esm', add(1, 2), mul(2, 3), sub(5, 1), idx, s.a, plain, cval, new Point(2).y, Color.Green, Point.name, typeof require, import.meta.url.endsWith('/main.ts')].join(' '));",
    "if (process.argv[2] === 'throw') throw new Error('thrown on purpose');",
  ].join('\n'),
  'esm/util.ts': 'export const add = (a: number, b: number): number => a + b;',
  'esm/util2.ts': 'export const mul = (a: number, b: number): number => a * b;',
  'esm/noext.ts': 'export const sub = (a: number, b: number): number => a - b;',
  'esm/lib/index.ts': "export const idx: string = 'index';",
  'esm/types.ts': 'export interface Shape { a: number }',
  'esm/plain.cjs': "module.exports = 'plain-cjs';",
  'esm/named.cts': 'const x: number = 42;\nexport const cval = x;',
  'esm/broken.ts': 'const x: number = ;',
  'cjs/main.ts': "const u = require('./dep');\nconst v: number = u.val;\nconsole.log(['cjs', v, typeof module, __filename.endsWith('main.ts')].join(' '));",
  'cjs/dep.ts': 'export const val: number = 7;',
  'deco/tsconfig.json': '{\n  // comments and trailing commas, as tsc allows\n  "extends": "./base.json",\n}',
  'deco/base.json': '{ "compilerOptions": { "experimentalDecorators": true, /* legacy */ } }',
  'deco/package.json': '{ "type": "module" }',
  'deco/main.ts': [
    'let second = "";',
    'function mark(_target: unknown, key: unknown) { second = typeof key; }',
    'class A { @mark m() {} }',
    'void A;',
    "console.log('decorator key: ' + second);",
  ].join('\n'),
};

function node(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', TS_LOADER, join(dir, file), ...args], {
    encoding: 'utf8', env: { ...process.env, TSMPI_TS_CACHE: cache, ...env }, timeout: 60_000,
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsmpi-ts-loader-'));
  cache = join(dir, 'cache');
  for (const [f, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text + '\n');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the TypeScript loader', () => {
  it('runs an ES module project: .js, .ts, extensionless and directory imports, CommonJS .cts and .cjs, TypeScript-only syntax', () => {
    const r = node('esm/main.ts');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('esm 3 6 4 index 1 plain-cjs 42 2 1 Point undefined true\n');
  });

  it('gives stack traces at .ts lines', () => {
    const r = node('esm/main.ts', ['throw']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: thrown on purpose');
    expect(r.stderr).toMatch(/esm\/main\.ts:12:\d+/);
  });

  it('runs a .ts file of a CommonJS package as CommonJS, with require() of .ts', () => {
    const r = node('cjs/main.ts');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('cjs 7 object true\n');
  });

  it('follows tsconfig.json (with comments, trailing commas and extends): legacy decorators', () => {
    const r = node('deco/main.ts');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('decorator key: string\n');
  });

  it('keeps compiled files in a private cache, and runs the same from it', () => {
    rmSync(cache, { recursive: true, force: true });
    expect(node('esm/main.ts').stdout).toMatch(/^esm 3/);
    const files = readdirSync(cache);
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(node('esm/main.ts').stdout).toMatch(/^esm 3/);
    expect(readdirSync(cache)).toEqual(files);
  });

  it('runs the same as a rank (TSMPI_RANK set) where no tsmpi can be loaded early', () => {
    const r = node('esm/main.ts', [], { TSMPI_RANK: '0' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^esm 3 6 4 index/);
  });

  it('does without a cache directory that others may write to', () => {
    const shared = join(dir, 'shared-cache');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const r = node('esm/main.ts', [], { TSMPI_TS_CACHE: shared });
    expect(r.stdout).toMatch(/^esm 3/);
    expect(readdirSync(shared)).toEqual([]);
  });

  // The entry file is compiled on the main thread and handed to the hooks thread (typescript/entry.ts).
  it('runs an entry named through a symbolic link as the file it links to', () => {
    symlinkSync(join(dir, 'esm', 'main.ts'), join(dir, 'esm', 'link.ts'));
    const r = node('esm/link.ts', [], { TSMPI_RANK: '0' });
    expect(r.stderr).toBe('');
    // import.meta.url is the real file's: the module Node loaded is main.ts, compiled once.
    expect(r.stdout).toMatch(/^esm 3 6 4 index .* true$/m);
  });

  it('reports a syntax error of the entry file with the file and line, as a rank too', () => {
    for (const env of [{}, { TSMPI_RANK: '0' }]) {
      const r = node('esm/broken.ts', [], env);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/broken\.ts:1:/);
    }
  });
});
