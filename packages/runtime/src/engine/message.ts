/** A received message waiting in (or matched from) the queues. */
export interface Message {
  /** World rank of the sender. */
  src: number;
  tag: number;
  enc: number;
  payload: Uint8Array;
  depth: number;
}
