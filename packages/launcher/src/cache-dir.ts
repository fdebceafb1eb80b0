/**
 * tsmpi's per-user disk cache on this host: compiled TypeScript (typescript/compile.ts) and the
 * certificate files Node ranks start with (rank-ca-certs.ts). `$TMPDIR/tsmpi-ts-<uid>`, or
 * TSMPI_TS_CACHE=DIR. What is read from it is trusted (code to run, certificates to trust), so it
 * is used only if it is this user's own directory and nobody else may write to it.
 */
import { lstatSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let cacheDir: string | null | undefined;

/** The cache directory, private to this user; undefined (no cache) if it cannot be made so. */
export function userCacheDir(): string | undefined {
  if (cacheDir === undefined) {
    const dir = process.env.TSMPI_TS_CACHE || join(tmpdir(), `tsmpi-ts-${process.getuid?.() ?? 'user'}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = lstatSync(dir);
      // Someone else's directory (or one others may write to) could feed us code or certificates: do without.
      const mine = st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
      cacheDir = mine ? dir : null;
    } catch {
      cacheDir = null;
    }
  }
  return cacheDir ?? undefined;
}

/** Write `file` aside, then rename: processes filling the same entry at once never read half a file. */
export function storeCached(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    renameSync(tmp, file);
  } catch { /* no cache this time */ }
}
