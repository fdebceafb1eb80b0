/** The launch environment: absent → singleton; present → checked, with clear TSMPI_ERR_INIT errors. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_US, readLaunchEnv } from '@tsmpi/runtime';

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

  it('reads the wait policy, auto and the default budget unless set', () => {
    expect(readLaunchEnv({ TSMPI_RANK: '0', TSMPI_SIZE: '2' })).toMatchObject({ wait: 'auto', pollUs: DEFAULT_POLL_US });
    expect(readLaunchEnv({ TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_WAIT: 'block', TSMPI_POLL_US: '0' })).toMatchObject({ wait: 'block', pollUs: 0 });
    expect(readLaunchEnv({ TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_WAIT: 'poll', TSMPI_POLL_US: '250' })).toMatchObject({ wait: 'poll', pollUs: 250 });
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a rank that is not a number', { TSMPI_RANK: 'x', TSMPI_SIZE: '2' }, /TSMPI_RANK=x/],
    ['a missing size', { TSMPI_RANK: '0' }, /TSMPI_SIZE/],
    ['a rank not below the size', { TSMPI_RANK: '2', TSMPI_SIZE: '2' }, /not below/],
    ['a negative rank', { TSMPI_RANK: '-1', TSMPI_SIZE: '2' }, /TSMPI_RANK/],
    ['an unknown transport', { TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_TRANSPORT: 'udp' }, /auto, tcp or ws/],
    ['an unknown wait policy', { TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_WAIT: 'spin' }, /TSMPI_WAIT=spin: choose auto .*, poll or block/],
    ['a poll budget that is not a number', { TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_POLL_US: '1ms' }, /TSMPI_POLL_US=1ms: .*microseconds/],
    ['a negative poll budget', { TSMPI_RANK: '0', TSMPI_SIZE: '2', TSMPI_POLL_US: '-5' }, /TSMPI_POLL_US=-5/],
  ];
  for (const [name, env, message] of bad) {
    it(`${name} → TSMPI_ERR_INIT`, () => {
      expect(() => readLaunchEnv(env)).toThrow(expect.objectContaining({ code: 'TSMPI_ERR_INIT', message: expect.stringMatching(message) }));
    });
  }
});
