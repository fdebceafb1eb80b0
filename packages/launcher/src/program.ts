/**
 * How to run the user's program: TypeScript through tsx's loader (no build
 * step), JavaScript with this Node, anything else as an executable.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';

export interface Command { file: string; args: string[]; isNode: boolean }

const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS = new Set(['.js', '.mjs', '.cjs']);

let tsxLoader: string | undefined;
function tsx(): string {
  tsxLoader ??= import.meta.resolve('tsx');
  return tsxLoader;
}

export function programCommand(program: string, args: string[], node = process.execPath, cwd = process.cwd()): Command {
  const ext = extname(program).toLowerCase();
  if (TS.has(ext) || JS.has(ext)) {
    const path = resolve(cwd, program);
    if (!existsSync(path)) throw new ProgramNotFound(program);
    const pre = TS.has(ext) ? ['--import', tsx()] : [];
    return { file: node, args: [...pre, path, ...args], isNode: true };
  }
  return { file: program, args, isNode: false };
}

export class ProgramNotFound extends Error {
  constructor(readonly program: string) {
    super(`program not found: ${program} (give a path to a .ts/.js file or the name of an executable)`);
  }
}
