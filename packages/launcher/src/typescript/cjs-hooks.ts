/**
 * The TypeScript loader's side in Node's CommonJS loader (on each thread that
 * registers it): require() of a .ts/.cts/.mts/.tsx file compiles it to
 * CommonJS, and a relative require that finds nothing tries the TypeScript
 * file (`./util.js` → util.ts), as tsx does.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { compileSync } from './compile.js';
import { isPathSpecifier, typeScriptCandidates } from './candidates.js';

interface CjsModule { _compile(code: string, filename: string): unknown }
interface CjsInternals {
  _extensions: Record<string, (module: CjsModule, filename: string) => void>;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

let installed = false;

export function installCommonJsHooks(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as CjsInternals;
  const compileFile = (module: CjsModule, filename: string) => {
    module._compile(compileSync(filename, readFileSync(filename, 'utf8'), 'commonjs'), filename);
  };
  for (const ext of ['.ts', '.cts', '.mts', '.tsx']) M._extensions[ext] = compileFile;
  const resolveFilename = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolveFilename.call(this, request, parent, isMain, options);
    } catch (err) {
      if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND' || !isPathSpecifier(request)) throw err;
      for (const candidate of typeScriptCandidates(request)) {
        try { return resolveFilename.call(this, candidate, parent, isMain, options); } catch { /* the next one */ }
      }
      throw err;
    }
  };
}
