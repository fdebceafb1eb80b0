/**
 * What the engine needs from a transport: deliver whole frames to any world
 * rank, in order per (sender, receiver) pair, and hand incoming frames up.
 * Everything above (matching, communicators, collectives) is the same for
 * TCP, WebSocket and the in-process transport used by tests.
 */
import type { FrameHeader } from '../wire/header.js';
import type { Bytes } from '../codec/bytes.js';

/** How to reach a rank: published at start-up, assembled into the job's table by the launcher. */
export interface Card {
  /** Identifies the host (agent) the rank runs on: ranks with the same hostId may use the same-host path. */
  hostId: string;
  tcp?: { host: string; port: number };
  unix?: string;
  ws?: string;
}

/** A receive that takes a frame's payload in place: its bytes are where the payload is written. */
export interface Claim { readonly bytes: Bytes }

export interface TransportEvents {
  /**
   * A frame arrived from `header.src` (already authenticated as that rank);
   * `claim` is what `claim()` returned for it, if anything.
   */
  onFrame(header: FrameHeader, payload: Bytes, claim?: Claim): void;
  /**
   * A large frame's header arrived, its payload has not: where to write the
   * payload, when a receive already waits to take it in place (else undefined).
   */
  claim?(header: FrameHeader, byteLength: number): Claim | undefined;
  /** A peer broke the protocol or the connection failed in a way the job cannot recover from. */
  onFatal(error: Error): void;
}

/**
 * What `Transport.send` returns for a frame it has fully taken over already
 * (copied into its own buffer): the engine then skips its bookkeeping.
 */
export const SENT: Promise<void> = Promise.resolve();

export interface Transport {
  /** Start accepting connections; resolves with this rank's card. */
  listen(): Promise<Card>;
  /** The job's table of cards, indexed by world rank. */
  setPeers(cards: Card[]): void;
  /**
   * Send one frame; resolves once the caller may reuse `parts`: when the bytes
   * are handed to the operating system, or at once for a small frame copied
   * into the transport's own buffer.
   */
  send(dest: number, header: FrameHeader, parts: readonly Uint8Array[], byteLength: number): Promise<void>;
  /** Resolves once every frame sent so far is handed to the operating system. */
  flush(): Promise<void>;
  /** Flush and close every connection and listener. */
  close(): Promise<void>;
}
