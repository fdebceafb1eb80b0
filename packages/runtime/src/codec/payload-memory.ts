/**
 * How dead payloads give their memory back, for a rank that receives large
 * arrays by `recv()` (a new array per message, from malloc through V8).
 *
 * V8 frees the memory of dead ArrayBuffers after a scavenge, and by default
 * on a background thread. A large allocation can itself trigger that scavenge
 * (when the young generation holds much array memory), and then goes ahead
 * before the background thread has freed the dead arrays:
 * malloc grows the heap instead of reusing them, and the payload is written
 * into pages new to the process (a page fault per 4 KiB: about 20 ms of the
 * 25-30 ms of CPU that receiving 16 MiB then took on the benchmark VMs,
 * against about 8 ms into reused pages). Swept on the scavenge's own thread,
 * the dead arrays are freed before the allocation that triggered it, and it
 * reuses their memory. Together with the malloc settings tsmpiexec gives each
 * rank (launcher: malloc-tunables.ts), which keep that memory in the process,
 * a rank receiving 16 MiB arrays faulted its pages in for none of 120
 * messages; with only those settings for 0-1 of 20, with neither for 3-13 of 20.
 *
 * The cost: the scavenge that finds dead arrays frees them itself (a free()
 * each; an munmap for arrays of 32 MiB and more) instead of a worker thread.
 */
import v8 from 'node:v8';
import { V8_SYNC_ARRAY_BUFFER_SWEEPING } from '../constants.js';

let applied = false;

/** Have V8 free dead ArrayBuffers during the scavenge that finds them (once per process). */
export function freeDeadPayloadsPromptly(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(V8_SYNC_ARRAY_BUFFER_SWEEPING);
}
