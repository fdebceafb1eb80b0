/**
 * Algorithm thresholds. Every rank must use the same values: change them the
 * same way on all ranks before the collectives they should affect.
 */
import { DEFAULT_BCAST_SCATTER_MIN_RANKS, DEFAULT_LARGE_MESSAGE_BYTES } from './constants.js';

export interface Tuning {
  /**
   * Buffers of at least this many bytes take the bandwidth-optimal forms of
   * Bcast/bcast (scatter + allgather) and Allreduce (reduce-scatter + allgather).
   * 0 forces them at every size (useful in tests); Infinity disables them.
   */
  largeMessageBytes: number;
  /**
   * Large broadcasts take scatter + allgather only on at least this many
   * ranks (and never on 2); below, the binomial tree. 0 lets every large
   * broadcast on 3 or more ranks take it.
   */
  bcastScatterMinRanks: number;
}

export const tuning: Tuning = { largeMessageBytes: DEFAULT_LARGE_MESSAGE_BYTES, bcastScatterMinRanks: DEFAULT_BCAST_SCATTER_MIN_RANKS };
