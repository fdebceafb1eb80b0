/**
 * Where a relative import that Node cannot find may be a TypeScript file, as
 * tsx (and TypeScript's own resolution) allow: `./util.js` for util.ts,
 * `./util` for util.ts, `./lib` for lib/index.ts.
 */
import { extname } from 'node:path';

const FOR_JS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx', '.ts'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/** True for a specifier naming a file by path (not a package, not a builtin). */
export function isPathSpecifier(s: string): boolean {
  return s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('file:') || s === '.' || s === '..';
}

/** The specifiers to try, in order, after `specifier` was not found. */
export function typeScriptCandidates(specifier: string): string[] {
  const cut = specifier.search(/[?#]/);
  const path = cut < 0 ? specifier : specifier.slice(0, cut);
  const suffix = cut < 0 ? '' : specifier.slice(cut);
  const ext = extname(path);
  const swapped = FOR_JS[ext];
  if (swapped) return swapped.map((e) => path.slice(0, -ext.length) + e + suffix);
  const dir = path.endsWith('/') ? path : `${path}/`;
  return [
    ...(path.endsWith('/') || path === '.' || path === '..' ? [] : [`${path}.ts`, `${path}.tsx`, `${path}.mts`, `${path}.cts`]),
    `${dir}index.ts`, `${dir}index.tsx`,
  ].map((c) => c + suffix);
}
