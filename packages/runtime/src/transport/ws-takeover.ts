/**
 * Takes the socket of a freshly upgraded `ws` WebSocket away from `ws`.
 *
 * `ws` stays the library for what it does well: the HTTP upgrade on both
 * sides (request, validation, Sec-WebSocket-Accept) and interoperability. But
 * its receiver reassembles every message in its own buffers before handing it
 * over, which cost the ws transport a copy per message, 1.5x the memory of a
 * large message, and a pass through two more streams per read. So, right
 * when the connection opens (synchronously in ws's 'open' or 'connection'
 * event, before any frame is read), tsmpi removes ws's listeners from the
 * socket, takes the bytes that came with the upgrade response, and moves the
 * connection to a socket with reused reads; ws-stream.ts frames from there on.
 * The WebSocket object is left behind, never used again.
 */
import type net from 'node:net';
import type { WebSocket } from 'ws';
import { ErrorCode, tsmpiError } from '../errors.js';
import { adoptReusingReads } from './reused-reads.js';

/** The socket events ws listens to, with its listeners' names (ws 8: lib/websocket.js). */
const WS_SOCKET_LISTENERS: Record<string, string> = { close: 'socketOnClose', data: 'socketOnData', end: 'socketOnEnd', error: 'socketOnError' };

export interface TakenSocket {
  socket: net.Socket;
  /** Bytes already read past the upgrade (the peer's first frames may come with the 101 response). */
  buffered: Buffer;
}

export function takeOverSocket(ws: WebSocket, readBuffer?: number): TakenSocket {
  const old = (ws as unknown as { _socket?: net.Socket })._socket;
  if (!old) throw unsupported('the WebSocket has no socket');
  for (const [event, name] of Object.entries(WS_SOCKET_LISTENERS)) {
    const mine = old.listeners(event).filter((l) => (l as { name?: string }).name === name);
    if (mine.length !== 1) throw unsupported(`no single '${event}' listener named ${name} on its socket`);
    old.removeListener(event, mine[0] as (...args: unknown[]) => void);
  }
  // Not a 'data' event: nobody listens now. A flowing stream's read() returns its buffer all the same.
  const buffered = (old.read() as Buffer | null) ?? Buffer.alloc(0);
  // An unfinished write (the 101 response) must finish on its own socket: keep that one then.
  const pendingWrite = old.writableLength > 0;
  const socket = pendingWrite ? old : adoptReusingReads(old, readBuffer);
  return { socket, buffered: Buffer.from(buffered) };
}

function unsupported(what: string) {
  return tsmpiError(ErrorCode.INTERNAL, `cannot take over the WebSocket connection: ${what}. This ws version is not one tsmpi supports; install the ws version in @tsmpi/runtime's package.json`);
}
