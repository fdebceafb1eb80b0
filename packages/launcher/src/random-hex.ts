/**
 * Random hex strings for the job secret and the job id, read from the
 * kernel's CSPRNG (/dev/urandom, as node:crypto's randomBytes is seeded).
 * Why not randomBytes: loading node:crypto cost tsmpiexec's start-up ~15 M
 * instructions, in the stretch before it spawns any rank; the file system
 * module is loaded anyway. Where /dev/urandom cannot be read, node:crypto it is.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function randomHex(bytes: number): string {
  const b = Buffer.alloc(bytes);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      for (let got = 0; got < bytes;) {
        const n = readSync(fd, b, got, bytes - got, null);
        if (n <= 0) throw new Error('/dev/urandom: short read');
        got += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
  }
  return b.toString('hex');
}
