/**
 * Loads tsmpi into a rank before the TypeScript hooks are registered. Once
 * they are, every module Node loads costs a round trip to the hooks thread
 * (about 4 M instructions; tsmpi is some 90 modules, a quarter of a
 * TypeScript rank's start-up); modules already loaded make none. The
 * program's own `import 'tsmpi'` then finds the same module (the same file,
 * resolved from the program's directory) already evaluated.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export async function warmUp(program: string | undefined): Promise<void> {
  if (!program) return;
  let url: string;
  try {
    url = pathToFileURL(createRequire(program).resolve('tsmpi')).href;
  } catch {
    return; // the program's project has no tsmpi: nothing to load early
  }
  // A failure here is the program's to see, when it imports tsmpi itself.
  await import(url).catch(() => {});
}
