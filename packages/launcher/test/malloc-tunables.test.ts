// The glibc malloc settings each rank starts with, merged with the user's GLIBC_TUNABLES.
import { describe, expect, it } from 'vitest';
import { mallocTunables } from '@tsmpi/launcher';

const OURS = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864';

describe('mallocTunables', () => {
  it('sets the mmap and trim thresholds on Linux', () => {
    expect(mallocTunables(undefined, 'linux')).toEqual({ GLIBC_TUNABLES: OURS });
    expect(mallocTunables('', 'linux')).toEqual({ GLIBC_TUNABLES: OURS });
  });

  it("keeps the user's other tunables, before ours", () => {
    expect(mallocTunables('glibc.elision.enable=0', 'linux')).toEqual({ GLIBC_TUNABLES: `glibc.elision.enable=0:${OURS}` });
  });

  it('leaves a GLIBC_TUNABLES that tunes malloc itself as it is', () => {
    expect(mallocTunables('glibc.malloc.trim_threshold=0', 'linux')).toEqual({});
    expect(mallocTunables('glibc.pthread.rseq=0:glibc.malloc.arena_max=2', 'linux')).toEqual({});
  });

  it('changes nothing on other platforms', () => {
    expect(mallocTunables(undefined, 'darwin')).toEqual({});
    expect(mallocTunables(undefined, 'win32')).toEqual({});
  });
});
