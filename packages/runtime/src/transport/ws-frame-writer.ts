/**
 * Writes RFC 6455 frame heads. Each write of the stream becomes one final
 * binary frame (FIN, opcode 2); the payload follows the head as it is.
 *
 * A client's frames carry the mask bit with an all-zero key, which leaves the
 * payload unchanged: masking exists to stop a browser's script from steering
 * bytes seen by proxies (RFC 6455 §10.3); a rank is no browser, its
 * connections are authenticated by the HMAC handshake (wire/handshake.ts) and,
 * like all tsmpi traffic, not encrypted (docs/security.md), so a random key
 * would protect nothing, and masking in JavaScript cost 2-5x of the bandwidth.
 * The frames stay well-formed for any WebSocket endpoint or proxy on the way.
 */
import { WsOpcode } from '../constants.js';

/** Bytes of the head of a frame with `length` payload bytes. */
export function wsHeadBytes(length: number, masked: boolean): number {
  return (length < 126 ? 2 : length < 0x10000 ? 4 : 10) + (masked ? 4 : 0);
}

/** Write a final frame's head for `length` payload bytes into `out` at `at`; returns where the payload starts. */
export function writeWsHead(out: Buffer, at: number, opcode: number, length: number, masked: boolean): number {
  out[at] = 0x80 | opcode;
  const m = masked ? 0x80 : 0;
  if (length < 126) {
    out[at + 1] = m | length;
    at += 2;
  } else if (length < 0x10000) {
    out[at + 1] = m | 126;
    out.writeUInt16BE(length, at + 2);
    at += 4;
  } else {
    out[at + 1] = m | 127;
    out.writeUInt32BE(Math.floor(length / 0x100000000), at + 2);
    out.writeUInt32BE(length >>> 0, at + 6);
    at += 10;
  }
  if (masked) { out.writeUInt32LE(0, at); at += 4; }
  return at;
}

/** One frame of `opcode` holding `payload`, copied behind its head (one buffer, one write). */
function frameWith(opcode: number, payload: Uint8Array, masked: boolean): Buffer {
  const out = Buffer.allocUnsafe(wsHeadBytes(payload.byteLength, masked) + payload.byteLength);
  out.set(payload, writeWsHead(out, 0, opcode, payload.byteLength, masked));
  return out;
}

/** One binary frame holding `payload`, copied (small payloads: one buffer, one write). */
export function binaryFrame(payload: Uint8Array, masked: boolean): Buffer {
  return frameWith(WsOpcode.BINARY, payload, masked);
}

/** The head alone of a binary frame whose `length` payload bytes are written after it. */
export function binaryHead(length: number, masked: boolean): Buffer {
  const out = Buffer.allocUnsafe(wsHeadBytes(length, masked));
  writeWsHead(out, 0, WsOpcode.BINARY, length, masked);
  return out;
}

/** A pong answering a ping's `payload` (at most 125 bytes, checked by the reader). */
export function pongFrame(payload: Uint8Array, masked: boolean): Buffer {
  return frameWith(WsOpcode.PONG, payload, masked);
}

/** A close frame with a status code (and no reason text). */
export function closeFrame(code: number, masked: boolean): Buffer {
  const out = Buffer.allocUnsafe(wsHeadBytes(2, masked) + 2);
  out.writeUInt16BE(code, writeWsHead(out, 0, WsOpcode.CLOSE, 2, masked));
  return out;
}
