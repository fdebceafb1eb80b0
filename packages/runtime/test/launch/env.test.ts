/** The launch environment: absent → singleton; present → checked, with clear TSMPI_ERR_INIT errors. */
import { describe, expect, it } from 'vitest';
import { readLaunchEnv } from '@tsmpi/runtime';

describe('readLaunchEnv', () => {
  it('no TSMPI_RANK: a singleton (undefined)', () => {
    expect(readLaunchEnv({})).toBeUndefined();
    expect(readLaunchEnv({ OMPI_COMM_WORLD_RANK: '0', PMI_RANK: '0' })).toBeUndefined();
  });

  it('reads what tsmpiexec sets, with defaults for the optional parts', () => {
    const e = readLaunchEnv({ TSMPI_RANK: '2', TSMPI_SIZE: '4' })!;
    expect(e).toMatchObject({ rank: 2, size: 4, localRank: 2, localSize: 4, transport: 'auto', bind: '127.0.0.1', socketDir: undefined });
    expect(readLaunchEnv({ TSMPI_RANK: '0', TSMPI_SIZE: '1', TSMPI_TRANSPORT: 'ws', TSMPI_MAX_MESSAGE: '1024' })).toMatchObject({ transport: 'ws', maxPayload: 1024 });
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a rank that is not a number', { TSMPI_RANK: 'x', TSMPI_SIZE: '2' }, /TSMPI_RANK=x/],
    ['a missing size', { TSMPI_RANK: '0' }, /TSMPI_SIZE/],
    ['a rank not below the size', { TSMPI_RANK: '2', TSMPI_SIZE: '2' }, /not below/],
    ['a negative rank', { TSMPI_RANK: '-1', TSMPI_SIZE: '2' }, /TSMPI_RANK/],
    ['an unknown transport', { TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_TRANSPORT: 'udp' }, /auto, tcp or ws/],
  ];
  for (const [name, env, message] of bad) {
    it(`${name} → TSMPI_ERR_INIT`, () => {
      expect(() => readLaunchEnv(env)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_INIT', message: expect.stringMatching(message) }));
    });
  }
});
