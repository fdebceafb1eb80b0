/**
 * Every reserved number of the runtime in one place: wildcards, frame kinds,
 * context ids, wire limits and the environment variables the launcher sets.
 */
import { constants as bufferConstants } from 'node:buffer';

/** Receive from any source (mpi4py's `MPI.ANY_SOURCE`). */
export const ANY_SOURCE = -1;
/** Receive with any tag (mpi4py's `MPI.ANY_TAG`). Matches only user tags (>= 0). */
export const ANY_TAG = -1;
/** The null process: sends to it and receives from it complete at once. */
export const PROC_NULL = -2;
/** Result marker of `Request.waitany` over requests that are all inactive. */
export const UNDEFINED = -32766;

/** Largest user tag (MPI guarantees at least 32767; we allow 2^31-1). */
export const TAG_UB = 0x7fffffff;

/** Frame kinds: the first element of every frame header. */
export const FrameKind = {
  /** A point-to-point or collective message. */
  MSG: 1,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/**
 * Payload encodings (header field `enc`). 0 is the structured value codec;
 * 1..13 are a bare typed array / ArrayBuffer / Buffer sent as raw bytes.
 */
export const Encoding = {
  VALUE: 0,
  INT8: 1, UINT8: 2, UINT8_CLAMPED: 3, INT16: 4, UINT16: 5, INT32: 6, UINT32: 7,
  FLOAT32: 8, FLOAT64: 9, BIGINT64: 10, BIGUINT64: 11, ARRAY_BUFFER: 12, BUFFER: 13,
  /** Raw bytes sent by the buffer family (`Send`); the receiver decides the type. */
  RAW: 14,
} as const;

/**
 * Context ids. Each communicator owns two consecutive ids: an even one for its
 * point-to-point traffic and the next odd one for its collectives, so the two
 * can never cross-match. The world communicator owns 0 and 1.
 */
export const WORLD_CONTEXT = 0;
export const FIRST_FREE_CONTEXT = 2;

/** Wire limits, checked on every frame before anything is allocated. */
export const FRAME_PREFIX_BYTES = 12;
export const MAX_HEADER_BYTES = 4096;
/**
 * The largest Buffer or Uint8Array this Node can make (4 GiB on Node 20; 2^53-1 from Node 22 on
 * 64-bit). Larger payloads live in an ArrayBuffer and are handled through windows (codec/bytes.ts).
 */
export const MAX_BUFFER_BYTES = bufferConstants.MAX_LENGTH;
/**
 * Payloads from this size on are received straight into the buffer of a Recv
 * already waiting for them (matched when the frame's header arrives); smaller
 * ones are cheaper to receive into a fresh buffer and copy.
 */
export const CLAIM_MIN_BYTES = 64 * 1024;
/**
 * Typed arrays up to this size are sent from a copy in a scratch buffer instead of a byte view of
 * their memory (comm/small-binary.ts). At most the frame encoder's inline size (16 KiB), which copies
 * them into the frame before the send returns.
 */
export const SMALL_BINARY_BYTES = 1024;
/**
 * While at least this much of a payload is left to read, the socket reads
 * straight into the payload's buffer (transport/reused-reads.ts) instead of
 * into its 64 KiB read buffer and a copy from there; the tail, with whatever
 * follows it, goes through the read buffer.
 */
export const DIRECT_READ_MIN_BYTES = 64 * 1024;
/** The V8 flag that sweeps dead ArrayBuffers on the GC's own thread (see codec/payload-memory.ts). */
export const V8_SYNC_ARRAY_BUFFER_SWEEPING = '--no-concurrent-array-buffer-sweeping';
/** Default ceiling on one message's payload (override with TSMPI_MAX_MESSAGE bytes). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2 ** 36; // 64 GiB

/**
 * How long a rank that lost a peer waits before exiting by itself: the peer most
 * likely failed, and tsmpiexec, which sees that failure too, ends this rank
 * meanwhile, so the job's exit code is the failed rank's, not this consequence's.
 */
export const PEER_FAILURE_GRACE_MS = 2000;

/**
 * How long a waiting rank polls before it sleeps (engine/poll-wait.ts), when it
 * polls at all; TSMPI_POLL_US overrides it. Long enough to cover a round trip
 * between ranks of one host, and a wake-up's worth of latency on a busy one.
 */
export const DEFAULT_POLL_US = 1000;

/** Handshake sizes (see wire/handshake.ts). */
export const NONCE_BYTES = 32;
export const MAC_BYTES = 32;

/** Environment variables set by tsmpiexec for each rank. */
export const Env = {
  RANK: 'TSMPI_RANK',
  SIZE: 'TSMPI_SIZE',
  LOCAL_RANK: 'TSMPI_LOCAL_RANK',
  LOCAL_SIZE: 'TSMPI_LOCAL_SIZE',
  JOB: 'TSMPI_JOB',
  HOST_ID: 'TSMPI_HOST_ID',
  TRANSPORT: 'TSMPI_TRANSPORT',
  BIND: 'TSMPI_BIND',
  SOCKET_DIR: 'TSMPI_SOCKET_DIR',
  MAX_MESSAGE: 'TSMPI_MAX_MESSAGE',
  /** `LOW-HIGH`: listen only on ports in this range (for firewalls). */
  PORTS: 'TSMPI_PORTS',
  /** Set (to its width in columns) when tsmpiexec's stderr is a terminal: a rank may draw progress lines. */
  STDERR_TTY: 'TSMPI_STDERR_TTY',
  /** How a rank waits for a message: `auto` (poll when the host's ranks do not outnumber its cores), `poll`, `block`. */
  WAIT: 'TSMPI_WAIT',
  /** How long one wait polls before it sleeps, in microseconds. */
  POLL_US: 'TSMPI_POLL_US',
} as const;

/** Ways a rank waits for messages (TSMPI_WAIT). */
export type WaitPolicy = 'auto' | 'poll' | 'block';

/** Transports a job can use. `tcp` uses Unix sockets between ranks of one host. */
export type TransportName = 'tcp' | 'ws' | 'inprocess';

/**
 * WebSocket framing (RFC 6455 §5), read and written by tsmpi itself once `ws`
 * has done the HTTP upgrade (transport/ws-frame-reader.ts, ws-frame-writer.ts).
 */
export const WsOpcode = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;
/** Largest payload of a control frame (close, ping, pong). */
export const WS_MAX_CONTROL_PAYLOAD = 125;
/** Close status codes sent: a normal end, and a peer that broke the framing. */
export const WsCloseCode = { NORMAL: 1000, PROTOCOL_ERROR: 1002 } as const;
/**
 * Room left in front of each small frame for its WebSocket head: the longest
 * head of a frame under 64 KiB (2 bytes, a 16-bit length, a mask key).
 */
export const WS_SMALL_HEAD_ROOM = 8;
