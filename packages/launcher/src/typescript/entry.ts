/**
 * The program's entry file, compiled on the main thread before the hooks are
 * registered, and handed to the hooks thread with them (module.register's
 * `data`), which then serves it as it is. Why: on the hooks thread, compiling
 * it was most of what that thread did besides starting (loading node:crypto
 * for the cache key, esbuild's version, the project's tsconfig: ~15 M
 * instructions per rank), while a rank's main thread loads node:crypto anyway
 * for its connections' handshakes. Anything that goes wrong here is left to
 * the hooks thread, which compiles the file as before and reports it there.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compile, isTypeScript } from './compile.js';
import { formatOf } from './project.js';

export interface CompiledEntry { url: string; format: string; source: string }

export async function compileEntry(program: string | undefined): Promise<CompiledEntry | undefined> {
  if (!program) return undefined;
  try {
    // The URL Node loads the entry by: its real path (unless --preserve-symlinks-main, when it simply won't match).
    const path = realpathSync(program);
    if (!isTypeScript(path)) return undefined;
    const format = formatOf(path);
    return { url: pathToFileURL(path).href, format, source: await compile(path, readFileSync(path, 'utf8'), format) };
  } catch {
    return undefined;
  }
}
