/**
 * The URL of the program's main script: its tasks cannot be imported by a
 * worker while it runs (a module cannot be imported during its own top-level
 * await), so they are found through defineTask's registry instead.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

let main: string | undefined | null = null;

/** The main script's URL (undefined for `node -e`, a REPL, or when it cannot be told). */
export function mainScriptUrl(): string | undefined {
  if (main === null) {
    const arg = process.argv[1];
    try {
      main = arg ? pathToFileURL(realpathSync(arg)).href : undefined;
    } catch {
      main = undefined;
    }
  }
  return main;
}

/** @internal Set by a local worker thread, whose argv is not its program's. */
export function setMainScriptUrl(url: string | undefined): void {
  main = url;
}
