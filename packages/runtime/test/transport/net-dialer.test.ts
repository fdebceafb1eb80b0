/**
 * NetDialer's listeners: a rank whose whole job is on its host, on the
 * same-host path, listens on its Unix socket only (no TCP port); any other
 * rank listens on TCP too. Real sockets, two ranks through StreamTransport.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetDialer, type NetDialerOptions } from '../../dist/transport/net-dialer.js';
import { cleanup, exchange, runCleanup, twoRanks } from './two-ranks.js';

afterEach(runCleanup);

function socketDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsmpi-dialer-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const ranks = (o: Omit<NetDialerOptions, 'rank' | 'hostId' | 'bind'>) =>
  twoRanks((rank) => new NetDialer({ hostId: 'h', bind: '127.0.0.1', rank, ...o }));

describe('NetDialer listeners', () => {
  it('every peer on this host, same-host path: a Unix socket only, and the ranks talk over it', async () => {
    const r = await ranks({ socketDir: socketDir(), sameHostPath: true, allPeersLocal: true });
    for (const { card } of r) {
      expect(card.tcp).toBeUndefined();
      expect(card.unix).toMatch(/r[01]\.sock$/);
    }
    await exchange(r, [8, 70_000]);
  });

  it('peers on other hosts: TCP as well as the Unix socket', async () => {
    const r = await ranks({ socketDir: socketDir(), sameHostPath: true, allPeersLocal: false });
    for (const { card } of r) {
      expect(card.tcp?.port).toBeGreaterThan(0);
      expect(card.unix).toBeDefined();
    }
    await exchange(r, [8]);
  });

  it('--transport tcp (no same-host path) listens on TCP even when every peer is on this host', async () => {
    const r = await ranks({ socketDir: socketDir(), sameHostPath: false, allPeersLocal: true });
    for (const { card } of r) {
      expect(card.tcp?.port).toBeGreaterThan(0);
      expect(card.unix).toBeUndefined();
    }
    await exchange(r, [8]);
  });

  it('a peer of another host that listens on a Unix socket only is refused with TSMPI_ERR_INIT, not dialled', async () => {
    const dialer = new NetDialer({ hostId: 'a', bind: '127.0.0.1', rank: 0, socketDir: socketDir(), sameHostPath: true });
    const own = await dialer.listen(() => {});
    cleanup.push(() => dialer.close());
    await expect(dialer.connect({ hostId: 'b', unix: '/nonexistent/r1.sock' }, own)).rejects.toMatchObject({ code: 'TSMPI_ERR_INIT' });
  });
});
