/**
 * The glibc malloc tunables every rank starts with, so that a received large
 * message lands in memory the process already has.
 *
 * `recv()` must give the program a new array per message (never memory that
 * is reused later), and V8 takes it from malloc. A payload's first touch of
 * memory new to the process costs a page fault per 4 KiB: on the benchmark
 * VMs 16 MiB took 25-30 ms of CPU to receive into fresh pages and about 8 ms
 * into reused ones. glibc's dynamic mmap threshold starts at 128 KiB (the
 * first large arrays are mapped and unmapped again), and V8 frees a batch of
 * dead arrays at once, which leaves 32 MiB or more free at the top of the
 * heap and crosses the trim threshold (2 x 16 MiB by then): the heap goes back
 * to the kernel and the next arrays fault it in again. Fixed where glibc's
 * dynamic thresholds end anyway (constants.ts), the heap grows once to the few
 * arrays alive at a time and is then reused: a rank receiving 16 MiB arrays
 * faulted in 0-1 messages of 20 instead of 3-13 (with the runtime's prompt
 * sweeping, runtime codec/payload-memory.ts, in none of 120). The cost: up to
 * MALLOC_TRIM_THRESHOLD_BYTES of freed heap stays in a rank's RSS. Payloads
 * of 32 MiB and more are still mapped and unmapped per message.
 *
 * Only on Linux, and never over the user's own choice: a GLIBC_TUNABLES that
 * names any `glibc.malloc.` tunable is left as it is. Other C libraries ignore it.
 */
import { MALLOC_MMAP_THRESHOLD_BYTES, MALLOC_TRIM_THRESHOLD_BYTES } from './constants.js';

/** The GLIBC_TUNABLES a rank gets (in an object to spread into its environment; empty: unchanged). */
export function mallocTunables(inherited: string | undefined, platform: NodeJS.Platform = process.platform): Record<string, string> {
  if (platform !== 'linux') return {};
  if (inherited?.includes('glibc.malloc.')) return {};
  const ours = `glibc.malloc.mmap_threshold=${MALLOC_MMAP_THRESHOLD_BYTES}:glibc.malloc.trim_threshold=${MALLOC_TRIM_THRESHOLD_BYTES}`;
  return { GLIBC_TUNABLES: inherited ? `${inherited}:${ours}` : ours };
}
