/** What a receive or probe learned about its message (mpi4py's `MPI.Status`). */
export class Status {
  /** Rank of the sender in the communicator. */
  source = -1;
  tag = -1;
  /** Payload size in bytes. */
  count = 0;
  /** Set when the request was cancelled. */
  cancelled = false;
  /** TSMPI error code of a failed receive, else undefined. */
  error: string | undefined;

  /** Number of elements of the given typed-array kind in the payload. */
  getCount(kind: { BYTES_PER_ELEMENT: number } = Uint8Array): number {
    return Math.floor(this.count / kind.BYTES_PER_ELEMENT);
  }

  /** @internal */
  assign(from: { source: number; tag: number; count: number; cancelled?: boolean; error?: string }): void {
    this.source = from.source; this.tag = from.tag; this.count = from.count;
    this.cancelled = from.cancelled ?? false; this.error = from.error;
  }
}
