/**
 * A communicator with every collective operation (mpi4py's `Intracomm`).
 * The collectives talk only through the runtime's point-to-point calls, on
 * this communicator's shadow channel (its odd context id), so they never
 * match user receives. Each call takes the next sequence number of the
 * communicator as its tag: ranks call collectives in the same order, so the
 * numbers agree, and calls in flight together never cross-match.
 *
 * Argument order and defaults follow mpi4py. The lowercase family takes any
 * value and resolves with the result; the Uppercase family fills typed
 * arrays in place. The `i`/`I` forms return a Request at once.
 */
import { Comm, Request, UNDEFINED, type TypedArray } from '@tsmpi/runtime';
import * as B from './calls/buffers.js';
import type { Host } from './calls/host.js';
import * as V from './calls/values.js';
import * as VV from './calls/vectors.js';
import { type InPlace, TAG_MODULUS } from './constants.js';
import { dupPlacement, splitPlacement } from './context.js';
import { Exchange } from './exchange.js';
import { ScratchPool } from './scratch.js';
import { SUM } from './ops/builtin.js';
import type { OpLike } from './ops/op.js';
import type { CartComm } from './topology/cart.js';
import { checkGrid, cellCount } from './topology/grid.js';

/** A send buffer, or IN_PLACE (take the input from the receive buffer). */
export type SendBuffer = TypedArray | InPlace;
/** A buffer with per-rank counts and optional displacements, in elements. */
export type VectorBuffer = [TypedArray, ArrayLike<number>] | [TypedArray, ArrayLike<number>, ArrayLike<number>];

export class Communicator extends Comm implements Host {
  private sequence = 0;
  /** Receive buffers reused by this communicator's large collectives (scratch.ts). */
  private readonly scratch = new ScratchPool();

  /** @internal Start a collective: the next tag of this communicator, on its shadow channel. */
  collective(what: string): Exchange {
    this.alive();
    const tag = this.sequence;
    this.sequence = (this.sequence + 1) % TAG_MODULUS;
    return Exchange.open(this.collectiveChannel(), tag, what, this.scratch);
  }

  // ---- values (lowercase) ----

  /** Resolve once every rank has called barrier. */
  barrier(): Promise<void> { return V.barrier(this); }
  /** `value` from `root` on every rank (the root gets its own value back). */
  bcast<T>(value: T, root = 0): Promise<T> { return V.bcast(this, value, root); }
  /** Element i of the root's array (one value per rank) on rank i; others pass null. */
  scatter<T>(values: readonly T[] | null, root = 0): Promise<T> { return V.scatter(this, values, root); }
  /** Every rank's value in rank order at the root; null elsewhere. */
  gather<T>(value: T, root = 0): Promise<T[] | null> { return V.gather(this, value, root); }
  /** Every rank's value in rank order, on every rank. */
  allgather<T>(value: T): Promise<T[]> { return V.allgather(this, value); }
  /** Rank i's `values[me]`, for every i, in rank order. */
  alltoall<T>(values: readonly T[]): Promise<T[]> { return V.alltoall(this, values); }
  /** op over every rank's value, in rank order, at the root; null elsewhere. */
  reduce<T>(value: T, op: OpLike = SUM, root = 0): Promise<T | null> { return V.reduce(this, value, op, root); }
  /** op over every rank's value, in rank order, on every rank. */
  allreduce<T>(value: T, op: OpLike = SUM): Promise<T> { return V.allreduce(this, value, op); }
  /** op over the values of ranks 0..me. */
  scan<T>(value: T, op: OpLike = SUM): Promise<T> { return V.scan(this, value, op, false) as Promise<T>; }
  /** op over the values of ranks 0..me-1; null on rank 0. */
  exscan<T>(value: T, op: OpLike = SUM): Promise<T | null> { return V.scan(this, value, op, true); }

  ibarrier(): Request<void> { return Request.from(this.barrier()); }
  ibcast<T>(value: T, root = 0): Request<T> { return Request.from(this.bcast(value, root)); }
  iscatter<T>(values: readonly T[] | null, root = 0): Request<T> { return Request.from(this.scatter(values, root)); }
  igather<T>(value: T, root = 0): Request<T[] | null> { return Request.from(this.gather(value, root)); }
  iallgather<T>(value: T): Request<T[]> { return Request.from(this.allgather(value)); }
  ialltoall<T>(values: readonly T[]): Request<T[]> { return Request.from(this.alltoall(values)); }
  ireduce<T>(value: T, op: OpLike = SUM, root = 0): Request<T | null> { return Request.from(this.reduce(value, op, root)); }
  iallreduce<T>(value: T, op: OpLike = SUM): Request<T> { return Request.from(this.allreduce(value, op)); }
  iscan<T>(value: T, op: OpLike = SUM): Request<T> { return Request.from(this.scan(value, op)); }
  iexscan<T>(value: T, op: OpLike = SUM): Request<T | null> { return Request.from(this.exscan(value, op)); }

  // ---- typed arrays (Uppercase), filled in place ----

  /** mpi4py spelling of barrier. */
  Barrier(): Promise<void> { return this.barrier(); }
  /** Copy the root's `buf` into every rank's `buf` (same kind and length everywhere). */
  Bcast(buf: TypedArray, root = 0): Promise<void> { return B.Bcast(this, buf, root); }
  /** Block i of the root's `sendbuf` (size blocks) into rank i's `recvbuf`. IN_PLACE as the root's recvbuf keeps its block in place. */
  Scatter(sendbuf: TypedArray | null, recvbuf: TypedArray | InPlace, root = 0): Promise<void> { return B.Scatter(this, sendbuf, recvbuf, root); }
  /** Rank i's `sendbuf` into block i of the root's `recvbuf`. IN_PLACE as the root's sendbuf: its block is already there. */
  Gather(sendbuf: SendBuffer, recvbuf: TypedArray | null, root = 0): Promise<void> { return B.Gather(this, sendbuf, recvbuf, root); }
  /** Rank i's `sendbuf` into block i of every `recvbuf`. */
  Allgather(sendbuf: SendBuffer, recvbuf: TypedArray): Promise<void> { return B.Allgather(this, sendbuf, recvbuf); }
  /** Block j of rank i's `sendbuf` into block i of rank j's `recvbuf`. */
  Alltoall(sendbuf: SendBuffer, recvbuf: TypedArray): Promise<void> { return B.Alltoall(this, sendbuf, recvbuf); }
  /** Element-wise op over every rank's `sendbuf` into the root's `recvbuf`. */
  Reduce(sendbuf: SendBuffer, recvbuf: TypedArray | null, op: OpLike = SUM, root = 0): Promise<void> { return B.Reduce(this, sendbuf, recvbuf, op, root); }
  /** Element-wise op over every rank's `sendbuf` into every `recvbuf`. */
  Allreduce(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Promise<void> { return B.Allreduce(this, sendbuf, recvbuf, op); }
  /** Element-wise op over ranks 0..me. */
  Scan(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Promise<void> { return B.Scan(this, sendbuf, recvbuf, op, false); }
  /** Element-wise op over ranks 0..me-1 (rank 0's recvbuf is left as it was). */
  Exscan(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Promise<void> { return B.Scan(this, sendbuf, recvbuf, op, true); }
  /** Block i of the element-wise op over every `sendbuf` (size blocks of recvbuf.length) into rank i's `recvbuf`. */
  Reduce_scatter_block(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Promise<void> { return B.Reduce_scatter_block(this, sendbuf, recvbuf, op); }
  /** Like Reduce_scatter_block with `recvcounts[i]` elements for rank i. */
  Reduce_scatter(sendbuf: SendBuffer, recvbuf: TypedArray, recvcounts: ArrayLike<number>, op: OpLike = SUM): Promise<void> { return VV.Reduce_scatter(this, sendbuf, recvbuf, recvcounts, op); }
  /** Scatter with `counts[i]` elements at `displs[i]` for rank i. */
  Scatterv(sendbuf: VectorBuffer | null, recvbuf: TypedArray | InPlace, root = 0): Promise<void> { return VV.Scatterv(this, sendbuf, recvbuf, root); }
  /** Gather into `counts[i]` elements at `displs[i]` for rank i. */
  Gatherv(sendbuf: SendBuffer, recvbuf: VectorBuffer | null, root = 0): Promise<void> { return VV.Gatherv(this, sendbuf, recvbuf, root); }
  /** Allgather into `counts[i]` elements at `displs[i]` for rank i. */
  Allgatherv(sendbuf: SendBuffer, recvbuf: VectorBuffer): Promise<void> { return VV.Allgatherv(this, sendbuf, recvbuf); }
  /** Alltoall with per-rank counts and displacements on both sides. */
  Alltoallv(sendbuf: VectorBuffer | InPlace, recvbuf: VectorBuffer): Promise<void> { return VV.Alltoallv(this, sendbuf, recvbuf); }

  Ibarrier(): Request<void> { return this.ibarrier(); }
  Ibcast(buf: TypedArray, root = 0): Request<void> { return Request.from(this.Bcast(buf, root)); }
  Iscatter(sendbuf: TypedArray | null, recvbuf: TypedArray | InPlace, root = 0): Request<void> { return Request.from(this.Scatter(sendbuf, recvbuf, root)); }
  Igather(sendbuf: SendBuffer, recvbuf: TypedArray | null, root = 0): Request<void> { return Request.from(this.Gather(sendbuf, recvbuf, root)); }
  Iallgather(sendbuf: SendBuffer, recvbuf: TypedArray): Request<void> { return Request.from(this.Allgather(sendbuf, recvbuf)); }
  Ialltoall(sendbuf: SendBuffer, recvbuf: TypedArray): Request<void> { return Request.from(this.Alltoall(sendbuf, recvbuf)); }
  Ireduce(sendbuf: SendBuffer, recvbuf: TypedArray | null, op: OpLike = SUM, root = 0): Request<void> { return Request.from(this.Reduce(sendbuf, recvbuf, op, root)); }
  Iallreduce(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Request<void> { return Request.from(this.Allreduce(sendbuf, recvbuf, op)); }
  Iscan(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Request<void> { return Request.from(this.Scan(sendbuf, recvbuf, op)); }
  Iexscan(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Request<void> { return Request.from(this.Exscan(sendbuf, recvbuf, op)); }
  Ireduce_scatter_block(sendbuf: SendBuffer, recvbuf: TypedArray, op: OpLike = SUM): Request<void> { return Request.from(this.Reduce_scatter_block(sendbuf, recvbuf, op)); }
  Iscatterv(sendbuf: VectorBuffer | null, recvbuf: TypedArray | InPlace, root = 0): Request<void> { return Request.from(this.Scatterv(sendbuf, recvbuf, root)); }
  Igatherv(sendbuf: SendBuffer, recvbuf: VectorBuffer | null, root = 0): Request<void> { return Request.from(this.Gatherv(sendbuf, recvbuf, root)); }
  Iallgatherv(sendbuf: SendBuffer, recvbuf: VectorBuffer): Request<void> { return Request.from(this.Allgatherv(sendbuf, recvbuf)); }
  Ialltoallv(sendbuf: VectorBuffer | InPlace, recvbuf: VectorBuffer): Request<void> { return Request.from(this.Alltoallv(sendbuf, recvbuf)); }

  // ---- new communicators ----

  /** A copy of this communicator: same ranks, separate matching (its own point-to-point and collective traffic). */
  async dup(): Promise<this> {
    const place = await dupPlacement(this);
    return this.derive(place.context, place.group);
  }

  /**
   * One communicator per color: ranks passing the same color end up together,
   * ordered by `key` then by rank here. Color UNDEFINED resolves with null.
   */
  async split(color: number, key = 0): Promise<Communicator | null> {
    const place = await splitPlacement(this, color, key);
    return place && this.spawn(place.context, place.group);
  }

  /**
   * A Cartesian communicator over the first dims[0]·dims[1]·... ranks (others
   * get null), row-major. Ranks are never reordered (`reorder` is accepted for
   * mpi4py compatibility).
   */
  async createCart(dims: readonly number[], periods?: readonly boolean[] | boolean, reorder = false): Promise<CartComm | null> {
    void reorder;
    const grid = checkGrid(dims, periods, this.size);
    const placing = splitPlacement(this, this.rank < cellCount(grid.dims) ? 0 : UNDEFINED, this.rank);
    // Loaded here, not at the top: cart.ts extends this class.
    const { CartComm } = await import('./topology/cart.js');
    const place = await placing;
    return place && new CartComm(this.engine, place.context, place.group, this.hooks).withGrid(grid);
  }

  /** @internal The class of communicators made by split (a plain Communicator for a CartComm). */
  protected spawn(context: number, group: readonly number[]): Communicator {
    return this.derive(context, group);
  }

  // mpi4py spellings
  Dup(): Promise<this> { return this.dup(); }
  Clone(): Promise<this> { return this.dup(); }
  Split(color: number, key = 0): Promise<Communicator | null> { return this.split(color, key); }
  Create_cart(dims: readonly number[], periods?: readonly boolean[] | boolean, reorder = false): Promise<CartComm | null> { return this.createCart(dims, periods, reorder); }
}
