import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeJobSocketDir } from '../src/socket-dir.js';

describe('removeJobSocketDir', () => {
  const base = mkdtempSync(join(tmpdir(), 'socket-dir-test-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('removes the job directory named by TSMPI_SOCKET_DIR, sockets and all', () => {
    const dir = join(base, 'tsmpi-0123456789ab-XXXXXX');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'r0.sock'), '');
    removeJobSocketDir({ TSMPI_SOCKET_DIR: dir });
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves alone a directory tsmpiexec did not make, and does nothing without the variable', () => {
    const dir = join(base, 'home');
    mkdirSync(dir, { recursive: true });
    removeJobSocketDir({ TSMPI_SOCKET_DIR: dir });
    removeJobSocketDir({});
    expect(existsSync(dir)).toBe(true);
  });

  it('never throws, even when the directory is already gone', () => {
    expect(() => removeJobSocketDir({ TSMPI_SOCKET_DIR: join(base, 'tsmpi-gone-XXXXXX') })).not.toThrow();
  });
});
