/**
 * The frame header: a small msgpack array routed by the engine.
 * `[kind, ctx, src, tag, enc, depth]` — `depth` is the sender's logical clock
 * (used to measure rounds on the critical path; 0 when nobody counts).
 */
// 'msgpackr/pack' (same Packr, also unpacks) skips the main entry's search for the native string
// extractor (msgpackr-extract via node-gyp-build): ~20 ms of every rank's start-up, and headers hold no strings.
import { Packr } from 'msgpackr/pack';
import { Encoding, FrameKind } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';

export interface FrameHeader {
  kind: FrameKind;
  /** Context id of the communicator (even: point-to-point, odd: collectives). */
  ctx: number;
  /** Sender's rank in the world. */
  src: number;
  tag: number;
  /** Payload encoding (constants.ts `Encoding`). */
  enc: number;
  depth: number;
}

const packr = new Packr({ useRecords: false });
const KINDS = new Set<number>(Object.values(FrameKind));
const ENCODINGS = new Set<number>(Object.values(Encoding));

export function packHeader(h: FrameHeader): Buffer {
  return packr.pack([h.kind, h.ctx, h.src, h.tag, h.enc, h.depth]);
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

export function unpackHeader(bytes: Uint8Array): FrameHeader {
  let a: unknown;
  try {
    a = packr.unpack(bytes);
  } catch (cause) {
    throw tsmpiError(ErrorCode.PROTOCOL, 'a frame header is not valid msgpack: the peer is not a compatible tsmpi rank', cause);
  }
  if (!Array.isArray(a) || a.length !== 6 || !a.every(isInt)) {
    throw tsmpiError(ErrorCode.PROTOCOL, 'a frame header has the wrong shape: the peer is not a compatible tsmpi rank');
  }
  const [kind, ctx, src, tag, enc, depth] = a as number[];
  if (!KINDS.has(kind!)) throw tsmpiError(ErrorCode.PROTOCOL, `unknown frame kind ${kind}: the peer is not a compatible tsmpi rank`);
  if (!ENCODINGS.has(enc!)) throw tsmpiError(ErrorCode.PROTOCOL, `unknown payload encoding ${enc}: the peer is not a compatible tsmpi rank`);
  return { kind: kind as FrameKind, ctx: ctx!, src: src!, tag: tag!, enc: enc!, depth: depth! };
}
