/**
 * What the project around a TypeScript file says about it: module format
 * (as Node decides it: .mts/.cts by extension, .ts/.tsx by the nearest
 * package.json's "type") and the tsconfig.json compiler options esbuild
 * honours (nearest tsconfig.json, following relative "extends").
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

export type ModuleFormat = 'module' | 'commonjs';

const packageTypes = new Map<string, ModuleFormat>();

export function formatOf(path: string): ModuleFormat {
  const ext = extname(path);
  if (ext === '.mts') return 'module';
  if (ext === '.cts') return 'commonjs';
  return packageType(dirname(path));
}

function packageType(dir: string): ModuleFormat {
  const known = packageTypes.get(dir);
  if (known) return known;
  let type: ModuleFormat;
  const pkg = readJson(join(dir, 'package.json'));
  if (pkg !== undefined) type = (pkg as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
  else type = dirname(dir) === dir ? 'commonjs' : packageType(dirname(dir));
  packageTypes.set(dir, type);
  return type;
}

/** The compiler options esbuild's transform reads (the rest do not change its output). */
const ESBUILD_OPTIONS = [
  'alwaysStrict', 'experimentalDecorators', 'importsNotUsedAsValues', 'jsx', 'jsxFactory', 'jsxFragmentFactory',
  'jsxImportSource', 'preserveValueImports', 'strict', 'target', 'useDefineForClassFields', 'verbatimModuleSyntax',
];
const tsconfigs = new Map<string, Record<string, unknown>>();

export function tsconfigOptions(path: string): Record<string, unknown> {
  return dirOptions(dirname(path));
}

function dirOptions(dir: string): Record<string, unknown> {
  const known = tsconfigs.get(dir);
  if (known) return known;
  const file = join(dir, 'tsconfig.json');
  let options: Record<string, unknown>;
  const own = readTsconfig(file, 0);
  if (own) options = own;
  else options = dirname(dir) === dir || dir.endsWith('/node_modules') ? {} : dirOptions(dirname(dir));
  tsconfigs.set(dir, options);
  return options;
}

function readTsconfig(file: string, depth: number): Record<string, unknown> | undefined {
  const json = readJsonc(file) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
  if (json === undefined) return undefined;
  let base: Record<string, unknown> = {};
  // Relative "extends" only (package-named bases are left out, as options esbuild needs rarely live there).
  const parents = (Array.isArray(json.extends) ? json.extends : [json.extends]).filter((e): e is string => typeof e === 'string' && e.startsWith('.'));
  for (const parent of parents) {
    if (depth > 8) break;
    const p = resolve(dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`);
    base = { ...base, ...readTsconfig(p, depth + 1) };
  }
  const out: Record<string, unknown> = { ...base };
  for (const k of ESBUILD_OPTIONS) if (json.compilerOptions?.[k] !== undefined) out[k] = json.compilerOptions[k];
  return out;
}

function readJson(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return undefined; }
  try { return JSON.parse(text); } catch { return {}; }
}

function readJsonc(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return undefined; }
  try { return JSON.parse(stripJsonComments(text)); } catch { return {}; }
}

/**
 * JSON with comments and trailing commas (tsconfig.json's dialect) → JSON, in one scan that
 * steps over string literals whole (a "//" or "," inside a string is text): a comment becomes
 * a space, a comma that only comments and white space separate from `}` or `]` is dropped.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text[i] === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (isCommentStart(text, i)) {
      i = commentEnd(text, i);
      out += ' ';
    } else if (text[i] === ',' && isCloser(text[skipTrivia(text, i + 1)])) {
      i++;
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** The index just past the string literal that starts at `i`. */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
  return i + 1;
}

function isCommentStart(text: string, i: number): boolean {
  return text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*');
}

/** The index just past the comment that starts at `i` (a line comment keeps its newline). */
function commentEnd(text: string, i: number): number {
  if (text[i + 1] === '/') {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  const end = text.indexOf('*/', i + 2);
  return end < 0 ? text.length : end + 2;
}

/** The index of the first character from `i` on that is neither white space nor in a comment. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (!isCommentStart(text, i)) return i;
    i = commentEnd(text, i);
  }
}

const isCloser = (c: string | undefined): boolean => c === '}' || c === ']';
