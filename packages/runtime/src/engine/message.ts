import type { Bytes } from '../codec/bytes.js';

/** A received message waiting in (or matched from) the queues. */
export interface Message {
  /** World rank of the sender. */
  src: number;
  tag: number;
  enc: number;
  payload: Bytes;
  depth: number;
}
