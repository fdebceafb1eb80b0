/**
 * TypeScript → JavaScript for the rank loader: esbuild's transform (what tsx
 * runs too), kept in a per-user disk cache keyed by the file's content and
 * everything else the output depends on, so the ranks of a job (and later
 * jobs) transform a file once. esbuild is loaded only on a cache miss.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { storeCached, userCacheDir } from '../cache-dir.js';
import { formatOf, type ModuleFormat, tsconfigOptions } from './project.js';

/** Bump when the options below change what a cached file holds. */
const CACHE_VERSION = 1;
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

export const isTypeScript = (path: string): boolean => TS_EXTENSIONS.has(extname(path));

const require = createRequire(import.meta.url);
/**
 * node:crypto (the cache key's SHA-256) on first use: the hooks thread gets a rank's entry file
 * compiled already (entry.ts) and then needs it only for the program's other TypeScript files.
 */
const createHash = (algorithm: string) => process.getBuiltinModule('node:crypto').createHash(algorithm);
type Esbuild = typeof import('esbuild');
let esbuild: Esbuild | undefined;
let esbuildVersion: string | undefined;

function version(): string {
  // Read from its package.json, so that a cache hit never loads esbuild itself.
  esbuildVersion ??= (JSON.parse(readFileSync(join(require.resolve('esbuild'), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return esbuildVersion;
}

function optionsFor(path: string, format: ModuleFormat) {
  return {
    loader: extname(path) === '.tsx' ? 'tsx' as const : 'ts' as const,
    format: format === 'module' ? 'esm' as const : 'cjs' as const,
    // CommonJS output then names its exports in the form Node's import of CommonJS detects.
    platform: 'node' as const,
    target: `node${process.versions.node}`,
    // Stack traces point into the .ts file (with process.setSourceMapsEnabled, see register.ts).
    sourcemap: 'inline' as const,
    sourcefile: path,
    // As tsx: function and class names survive (error messages, task names).
    keepNames: true,
    tsconfigRaw: { compilerOptions: tsconfigOptions(path) },
  };
}

function cacheFile(path: string, source: string, options: ReturnType<typeof optionsFor>): string | undefined {
  const dir = userCacheDir();
  if (!dir) return undefined;
  const key = createHash('sha256').update(JSON.stringify([CACHE_VERSION, version(), options])).update('\0').update(source).digest('hex');
  return join(dir, `${key}.js`);
}

function read(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try { return readFileSync(file, 'utf8'); } catch { return undefined; }
}

function store(file: string | undefined, code: string): void {
  if (file) storeCached(file, code);
}

/** `source` (the file at `path`) as JavaScript in `format`, for import (async: esbuild's service). */
export async function compile(path: string, source: string, format = formatOf(path)): Promise<string> {
  const options = optionsFor(path, format);
  const file = cacheFile(path, source, options);
  const hit = read(file);
  if (hit !== undefined) return hit;
  esbuild ??= require('esbuild') as Esbuild;
  const { code } = await esbuild.transform(source, options);
  store(file, code);
  return code;
}

/** The same, synchronously, for require(). */
export function compileSync(path: string, source: string, format: ModuleFormat): string {
  const options = optionsFor(path, format);
  const file = cacheFile(path, source, options);
  const hit = read(file);
  if (hit !== undefined) return hit;
  esbuild ??= require('esbuild') as Esbuild;
  const { code } = esbuild.transformSync(source, options);
  store(file, code);
  return code;
}
