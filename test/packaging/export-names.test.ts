/**
 * The bundles keep the source's names although esbuild's keepNames is off
 * (scripts/bundle.mjs): nothing is minified, and esbuild renames a declaration
 * only when two modules of one bundle clash (`Request` → `Request2`). A user
 * sees these names in stack traces, `err.name` and `instanceof` messages, so
 * every exported class and function of every package entry must still be
 * called what it is exported as (or, for an alias, what its source calls it).
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-job.js';

const { ENTRIES } = (await import(pathToFileURL(join(ROOT, 'scripts', 'bundle.mjs')).href)) as { ENTRIES: Record<string, string[]> };

// Entry points that run something when imported (a CLI, a rank's preload, a worker) are not libraries.
const LIBRARIES = Object.entries(ENTRIES).flatMap(([pkg, entries]) =>
  entries.filter((e) => !/bin|rank-watch|guardian|agent|register|hooks|local-worker/.test(e)).map((e) => join(pkg, 'dist', `${e}.js`)));

describe('bundled entry points keep their names', () => {
  it('covers every library entry', () => expect(LIBRARIES.length).toBeGreaterThanOrEqual(5));
  for (const file of LIBRARIES) {
    it(file, async () => {
      const mod: Record<string, unknown> = await import(pathToFileURL(join(ROOT, file)).href);
      const renamed = Object.entries(mod)
        // An mpi4py-style alias (Compute_dims → computeDims) keeps its source name; a bundler's rename is
        // `_Name` or `Name2`.
        .filter(([key, v]) => typeof v === 'function' && (v.name === '' || v.name === `_${key}` || new RegExp(`^${key}\\d+$`).test(v.name)))
        .map(([key, v]) => `${key} is called ${(v as { name: string }).name}`);
      expect(renamed).toEqual([]);
    });
  }
});
