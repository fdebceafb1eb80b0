/**
 * One error class for everything tsmpi throws, with a stable `code` that
 * programs can test (`err.code === 'TSMPI_ERR_RANK'`) and a message that says
 * what to do. The original error, when there is one, is kept as `cause`.
 */
export const ErrorCode = {
  /** A rank outside 0..size-1 (and not PROC_NULL / ANY_SOURCE where allowed). */
  RANK: 'TSMPI_ERR_RANK',
  /** A negative or non-integer tag. */
  TAG: 'TSMPI_ERR_TAG',
  /** A collective's root outside the communicator. */
  ROOT: 'TSMPI_ERR_ROOT',
  /** A receive buffer smaller than the message, or a buffer of the wrong size. */
  TRUNCATE: 'TSMPI_ERR_TRUNCATE',
  /** A value that cannot travel (a function, a symbol, a cycle...). */
  VALUE: 'TSMPI_ERR_VALUE',
  /** A wrong argument (type, count, op...). */
  ARG: 'TSMPI_ERR_ARG',
  /** A buffer argument that is not a typed array, or of the wrong element type. */
  BUFFER: 'TSMPI_ERR_BUFFER',
  /** A reduction op that cannot apply to the given values. */
  OP: 'TSMPI_ERR_OP',
  /** A peer broke the wire protocol (garbage, oversize frame, unknown kind). */
  PROTOCOL: 'TSMPI_ERR_PROTOCOL',
  /** A connection failed to authenticate. */
  AUTH: 'TSMPI_ERR_AUTH',
  /** A peer rank died or left; the operation cannot complete. */
  RANK_FAILED: 'TSMPI_ERR_RANK_FAILED',
  /** The runtime could not start (launcher unreachable, rendezvous failed...). */
  INIT: 'TSMPI_ERR_INIT',
  /** A call after finalize, or on a freed communicator. */
  STATE: 'TSMPI_ERR_STATE',
  /** Something is not supported (yet). */
  UNSUPPORTED: 'TSMPI_ERR_UNSUPPORTED',
  /** An internal failure: a bug in tsmpi. Please report it. */
  INTERNAL: 'TSMPI_ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const brand = Symbol.for('tsmpi.error');

export class TsmpiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TsmpiError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }
  /** True for a TsmpiError from any copy of this module (a brand check, not instanceof). */
  static is(value: unknown): value is TsmpiError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

export function tsmpiError(code: ErrorCode, message: string, cause?: unknown): TsmpiError {
  return new TsmpiError(code, message, cause === undefined ? undefined : { cause });
}
