/**
 * Algorithm thresholds. Every rank must use the same values: change them the
 * same way on all ranks before the collectives they should affect.
 */
import { DEFAULT_BCAST_SCATTER_MIN_RANKS, DEFAULT_DIRECT_ALLREDUCE_MAX_RANKS, DEFAULT_LARGE_MESSAGE_BYTES } from './constants.js';

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
  /**
   * Allreduce of typed arrays on 2 to this many ranks exchanges with every
   * other rank directly (one round per phase, p−1 messages each); on more
   * ranks, recursive doubling, or halving and doubling for large buffers.
   * 0 or 1 turns the direct form off.
   */
  directAllreduceMaxRanks: number;
}

export const tuning: Tuning = {
  largeMessageBytes: DEFAULT_LARGE_MESSAGE_BYTES,
  bcastScatterMinRanks: DEFAULT_BCAST_SCATTER_MIN_RANKS,
  directAllreduceMaxRanks: DEFAULT_DIRECT_ALLREDUCE_MAX_RANKS,
};
