// Each rank's environment: tsmpi's variables and the ones MPI-aware tools read.
import { describe, expect, it } from 'vitest';
import { rankEnv } from '@tsmpi/launcher';

describe('rankEnv', () => {
  it('gives rank, size, local rank and local size under every name', () => {
    const env = rankEnv({ rank: 2, size: 5, localRank: 1, localSize: 3, nodeRank: 1 }, { TSMPI_JOB: 'j' });
    expect(env).toMatchObject({
      TSMPI_JOB: 'j',
      TSMPI_RANK: '2', TSMPI_SIZE: '5', TSMPI_LOCAL_RANK: '1', TSMPI_LOCAL_SIZE: '3',
      OMPI_COMM_WORLD_RANK: '2', OMPI_COMM_WORLD_SIZE: '5', OMPI_COMM_WORLD_LOCAL_RANK: '1', OMPI_COMM_WORLD_LOCAL_SIZE: '3',
      PMI_RANK: '2', PMI_SIZE: '5',
    });
  });
});
