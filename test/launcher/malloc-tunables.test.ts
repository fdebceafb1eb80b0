// Every rank tsmpiexec starts gets glibc malloc settings that keep freed heap for the next large
// message (launcher: malloc-tunables.ts), and a user's own malloc tuning wins.
import { describe, expect, it } from 'vitest';
import { runJob } from '../helpers/run-job.js';
import { leftoversMarked, marked } from './helpers.js';

const OURS = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864';

async function tunablesOfRanks(inherited: string | undefined): Promise<string[]> {
  const { marker, env } = marked();
  const res = await runJob(['-n', '2', 'sh', '-c', 'echo "$TSMPI_RANK ${GLIBC_TUNABLES-unset}"'], {
    env: { ...env, GLIBC_TUNABLES: inherited }, timeoutMs: 20_000, // undefined: not passed on at all
  });
  expect(res.code, res.stderr).toBe(0);
  expect(await leftoversMarked(marker)).toEqual([]);
  return res.stdout.trim().split('\n').sort();
}

describe.runIf(process.platform === 'linux')('tsmpiexec: malloc settings of the ranks', () => {
  it('every rank starts with them', async () => {
    expect(await tunablesOfRanks(undefined)).toEqual([`0 ${OURS}`, `1 ${OURS}`]);
  });

  it("they follow the user's other tunables", async () => {
    expect(await tunablesOfRanks('glibc.elision.enable=0')).toEqual([`0 glibc.elision.enable=0:${OURS}`, `1 glibc.elision.enable=0:${OURS}`]);
  });

  it("a user's own malloc tuning is left as it is", async () => {
    expect(await tunablesOfRanks('glibc.malloc.trim_threshold=0')).toEqual(['0 glibc.malloc.trim_threshold=0', '1 glibc.malloc.trim_threshold=0']);
  });
});
