/**
 * Module hooks (module.register, in Node's hooks thread) of the TypeScript
 * loader: `.ts`/`.mts`/`.tsx` files that are ES modules are compiled here;
 * CommonJS ones (`.cts`, a `.ts` under a package.json without "type": "module")
 * go to Node's CommonJS loader, which cjs-hooks.ts taught to compile them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, isTypeScript } from './compile.js';
import type { CompiledEntry } from './entry.js';
import { isPathSpecifier, typeScriptCandidates } from './candidates.js';
import { formatOf } from './project.js';

interface ResolveContext { parentURL?: string; conditions: string[]; importAttributes?: Record<string, string> }
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadContext { format?: string | null; conditions: string[]; importAttributes?: Record<string, string> }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }

const RETRY = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT']);

/** The entry file as register.ts compiled it on the main thread, served once. */
let entry: CompiledEntry | undefined;

export function initialize(data: { entry?: CompiledEntry } | undefined): void {
  entry = data?.entry;
}

export async function resolve(specifier: string, context: ResolveContext, next: (s: string, c: ResolveContext) => Promise<ResolveResult>): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (err) {
    // Only where Node finds nothing: whatever resolves as plain JavaScript resolves as before.
    if (!RETRY.has((err as { code?: string }).code ?? '') || !isPathSpecifier(specifier)) throw err;
    for (const candidate of typeScriptCandidates(specifier)) {
      try {
        return await next(candidate, context);
      } catch (again) {
        if (!RETRY.has((again as { code?: string }).code ?? '')) throw again;
      }
    }
    throw err;
  }
}

export async function load(url: string, context: LoadContext, next: (u: string, c: LoadContext) => Promise<LoadResult>): Promise<LoadResult> {
  if (entry && url === entry.url) {
    const { format, source } = entry;
    entry = undefined;
    return { format, source, shortCircuit: true };
  }
  if (!url.startsWith('file:')) return next(url, context);
  const path = fileURLToPath(url);
  if (!isTypeScript(path)) return next(url, context);
  const format = formatOf(path);
  return { format, source: await compile(path, readFileSync(path, 'utf8'), format), shortCircuit: true };
}
