/**
 * How to run the user's program: TypeScript through a loader (no build
 * step), JavaScript with this Node, anything else as an executable started
 * under the guardian (so it cannot outlive tsmpiexec, see guardian.ts).
 */
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import { delimiter, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Command {
  /** What to spawn, with its arguments. */
  file: string;
  args: string[];
  /** The program as the user named it, for messages. */
  program: string;
  /**
   * 'node': a Node rank spawned directly (it exits by itself when it loses
   * tsmpiexec); 'guarded': any other executable, spawned under the guardian.
   */
  kind: 'node' | 'guarded';
}

const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS = new Set(['.js', '.mjs', '.cjs']);

/**
 * The loader preloaded into TypeScript ranks: tsmpi's own (typescript/register.ts:
 * esbuild with a disk cache, about 0.3 s less per rank than tsx), or tsx itself
 * with TSMPI_TS_LOADER=tsx.
 */
export const TS_LOADER = new URL('./typescript/register.js', import.meta.url).href;
function typeScriptLoader(env: NodeJS.ProcessEnv): string {
  return env.TSMPI_TS_LOADER === 'tsx' ? import.meta.resolve('tsx') : TS_LOADER;
}

/** The guardian's built entry (beside this file in dist/). */
export const GUARDIAN = fileURLToPath(new URL('./guardian.js', import.meta.url));
/** Preloaded into every Node rank: it exits when tsmpiexec goes away, even if the program never calls init(). */
export const RANK_WATCH = new URL('./rank-watch.js', import.meta.url).href;

export function programCommand(program: string, args: string[], node = process.execPath, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Command {
  const ext = extname(program).toLowerCase();
  if (TS.has(ext) || JS.has(ext)) {
    const path = resolve(cwd, program);
    if (!existsSync(path)) throw new ProgramNotFound(program);
    const pre = TS.has(ext) ? ['--import', typeScriptLoader(env)] : [];
    return { file: node, args: [...pre, '--import', RANK_WATCH, path, ...args], program, kind: 'node' };
  }
  const file = findExecutable(program, cwd, env.PATH ?? '');
  if (!file) throw new ProgramNotFound(program);
  return { file: node, args: [GUARDIAN, file, program, ...args], program, kind: 'guarded' };
}

/**
 * Where `program` would be found as a shell finds it: a name with a slash is a
 * path (relative to `cwd`), a bare name is looked up on PATH. Undefined: not
 * found or not executable.
 */
export function findExecutable(program: string, cwd: string, path: string): string | undefined {
  const candidates = program.includes('/')
    ? [resolve(cwd, program)]
    : path.split(delimiter).map((dir) => join(resolve(cwd, dir || '.'), program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class ProgramNotFound extends Error {
  constructor(readonly program: string) {
    super(`program not found: ${program} (give a path to a .ts/.mts/.js/.mjs file, or an executable on PATH)`);
  }
}
