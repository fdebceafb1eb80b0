import { constants as bufferConstants } from 'node:buffer';
/**
 * Every reserved value of the collectives in one place: the IN_PLACE marker,
 * the tag space of collective messages, the name of a failure note and the
 * default algorithm thresholds (which `tuning` starts from).
 */
export { UNDEFINED } from '@tsmpi/runtime';

/**
 * Pass as the send buffer (or, for Scatter at the root, the receive buffer)
 * to use the receive buffer as input too, like mpi4py's `MPI.IN_PLACE`.
 */
export const IN_PLACE: unique symbol = Symbol.for('tsmpi.IN_PLACE');
export type InPlace = typeof IN_PLACE;

/**
 * Collective messages travel on the communicator's odd (shadow) context with
 * tag `sequence mod TAG_MODULUS`: every collective call takes the next
 * sequence number, the same on every rank, so concurrent collectives never
 * match each other's messages.
 */
export const TAG_MODULUS = 2 ** 31;

/**
 * At or above this many bytes a buffer takes the bandwidth-optimal algorithm
 * (scatter + allgather Bcast, reduce-scatter + allgather Allreduce).
 */
export const DEFAULT_LARGE_MESSAGE_BYTES = 64 * 1024;

/**
 * Large broadcasts take scatter + allgather only on this many ranks or more
 * (MPICH's MPIR_CVAR_BCAST_MIN_PROCS is 8 too). Below, the binomial tree wins:
 * it moves n·(p-1) bytes in all in p-1 messages, scatter + allgather moves
 * the same plus the scatter's n·log2(p)/2 in about p·log2(p) + p-1 messages
 * (4 MiB in 11 messages instead of 3 MiB in 3 for 1 MiB on 4 ranks), and its
 * shorter critical path only pays once there are enough ranks to spread it.
 * Measured on 4 ranks (2 cores): half the CPU time per 1 MiB Bcast.
 */
export const DEFAULT_BCAST_SCATTER_MIN_RANKS = 8;

/** A marker key in a failure note (a plain object; data payloads are never plain objects). */
export const FAILURE_KEY = 'tsmpiCollectiveFailure';

/** Formats of a Bcast message, chosen by the root and carried in every message. */
export const BcastMode = {
  /** Binomial tree: the whole payload is forwarded down the tree. */
  TREE: 0,
  /** Scatter + allgather: each message carries the chunks of one subtree. */
  SCATTER: 1,
} as const;

/**
 * Largest typed array (in bytes) a collective takes per rank: one Buffer on this
 * Node (4 GiB on Node 20). The algorithms cut and join byte views, which cannot
 * be larger; point-to-point messages have no such limit.
 */
export const MAX_COLLECTIVE_BYTES = bufferConstants.MAX_LENGTH;

/**
 * Scratch buffers (scratch.ts) kept per communicator for reuse, at most this
 * many bytes in all. A 1 MiB Allreduce on 4 ranks keeps about 0.75 MiB; the
 * cap bounds what a program with many sizes of large collectives holds on to.
 */
export const SCRATCH_POOL_MAX_BYTES = 64 * 1024 * 1024;
/** Smaller receives are not worth pooling: the runtime receives them in place only from 64 KiB (CLAIM_MIN_BYTES). */
export const SCRATCH_POOL_MIN_BYTES = 64 * 1024;

/**
 * Allreduce's first-phase messages up to this many bytes travel as one bare
 * binary frame with their size bounds in a trailer (algorithms/bounded-frame.ts),
 * not through the value codec. The runtime copies frames up to 16 KiB into one
 * write anyway, so the copy into the frame costs little up to there.
 */
export const BOUNDED_FRAME_MAX_BYTES = 16 * 1024;

/**
 * Element kernels over at least this many bytes run as WebAssembly SIMD
 * loops when their operands lie in a wasm arena (ops/simd.ts); below, the
 * call into wasm costs more than the vector lanes save.
 */
export const SIMD_KERNEL_MIN_BYTES = 1024;

/**
 * Room for the value codec's structure around a large Allreduce halving
 * message (`[least, most, range]`, about 40 bytes), so that it can be
 * received whole into the scratch arena in front of the range it carries.
 */
export const HALVING_FRAME_SLACK_BYTES = 256;
