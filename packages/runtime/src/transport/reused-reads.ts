/**
 * Sockets that read into one buffer per connection, reused for every read.
 *
 * By default Node allocates a fresh 64 KiB buffer for each read of a socket.
 * The frame decoder copies each chunk into the message's buffer at once, but the
 * spent chunks stay in memory until a garbage collection, which V8 runs late for
 * such external memory: receiving a 64 MiB message peaked at 1.4x its size above
 * the resting RSS. Node's `onread` option makes a socket read into one given
 * buffer instead (measured peak: the message + 4 MiB).
 *
 * Until a reader takes the reads over (`readDirectly`), these sockets emit
 * them as 'data' events, one per read, as a view of the reused buffer: **the
 * view is valid only during the event** (the next read overwrites it). Every
 * listener must copy what it keeps; the handshake's reader does. Once a
 * connection is authenticated, the frame decoder takes the reads straight from
 * the `onread` callback (no view, no event: both cost per message).
 *
 * Large payloads skip the reused buffer: a reader that knows where the next
 * bytes belong (the frame decoder in the middle of a large payload) also gives
 * a `DirectTarget`, and `onread`'s buffer is then a function, which Node calls
 * after every read for the buffer of the next one. While the target offers a
 * view of the payload's remaining bytes, the kernel writes into it directly:
 * no copy out of the reused buffer, and reads as large as the view (not
 * 64 KiB each), so fewer reads and callbacks. The view never reaches past the
 * payload, so whatever follows it lands in the reused buffer as before.
 *
 * `onread` is an option of sockets a process creates (`net.connect`,
 * `new net.Socket`), not of those `net.Server` accepts. An accepted socket's
 * handle is therefore moved into a new socket that has the option, as Node
 * itself moves a handle when it passes a socket to another process
 * (child_process, cluster). The server must be created with
 * `pauseOnConnect: true`, so that no byte is read before the move.
 */
import net from 'node:net';

/** Size of each connection's read buffer: what Node reads at once by default. */
export const READ_BUFFER_BYTES = 64 * 1024;

/**
 * Takes each read: the bytes of `buf` before `end`, from `start` (0 when not
 * given), valid only during the call. (A socket's reads start at 0; the
 * payload of a WebSocket frame may start anywhere.)
 */
export type ReadSink = (buf: Buffer, end: number, start?: number) => void;

/**
 * A reader's offer to take the next read in place. `next()` is asked before
 * every read: a view for the kernel to write into, or undefined (the reused
 * buffer, and the sink). When the kernel wrote into a view, `landed(n)` is
 * called instead of the sink: the first `n` bytes of that view arrived.
 */
export interface DirectTarget {
  next(): Uint8Array | undefined;
  landed(n: number): void;
}

/**
 * Where a socket's reads go: its reader once one took them over, else (null)
 * 'data' events; and, with `target`, which reads go straight into the reader's
 * destination. An object of its own, kept beside the socket: sockets have
 * many shapes, so a field on the socket would be a slow lookup on every read.
 */
export interface Route { sink: ReadSink | null; target: DirectTarget | null }
const routes = new WeakMap<object, Route>();

/**
 * Lets `stream`, a stream that reads one of these sockets and hands on what it
 * reads (the WebSocket stream, ws-stream.ts), take a reader too: `readDirectly`
 * sets the route's sink, which the stream calls instead of emitting 'data'.
 */
export function routeReads(stream: object): Route {
  const route: Route = { sink: null, target: null };
  routes.set(stream, route);
  return route;
}

/** The `onread` option: every read to the route's sink, or else as a 'data' event of `socket()`. */
function emitReads(socket: () => net.Socket, route: Route, bytes: number): net.OnReadOpts {
  const reused = Buffer.allocUnsafe(bytes);
  let current: Uint8Array | undefined;
  // Called by Node before the first read and after each one (after `callback`). Anything but a
  // Uint8Array keeps the buffer as it is, which spares Node re-reading it after every small read.
  const next = (): Uint8Array => {
    const b = route.target?.next() ?? reused;
    if (b === current) return undefined as unknown as Uint8Array;
    current = b;
    return b;
  };
  return {
    buffer: next,
    callback: (n, buf) => {
      if (buf !== reused) { route.target!.landed(n); return true; }
      const sink = route.sink;
      if (sink) sink(buf as Buffer, n); else socket().emit('data', (buf as Buffer).subarray(0, n));
      // Not emit()'s result: false (no listener) would stop reading for good.
      return true;
    },
  };
}

/**
 * Hand every further read of `stream` to `sink` instead of 'data' events (and
 * those `target` offers a place for, straight into it), if it is a socket of
 * this module; false (nothing changed) for any other stream.
 */
export function readDirectly(stream: object, sink: ReadSink, target?: DirectTarget): boolean {
  const route = routes.get(stream);
  if (!route) return false;
  route.sink = sink;
  route.target = target ?? null;
  return true;
}

/** `net.connect(options)` with reused reads. */
export function dialReusingReads(options: net.TcpNetConnectOpts | net.IpcNetConnectOpts, bytes = READ_BUFFER_BYTES): net.Socket {
  const route: Route = { sink: null, target: null };
  const s: net.Socket = net.connect({ ...options, onread: emitReads(() => s, route, bytes) });
  routes.set(s, route);
  return s;
}

type WithHandle = net.Socket & { _handle?: object | null };

/**
 * The connection of `accepted` (from a server created with `pauseOnConnect`)
 * as a new socket with reused reads; `accepted` is released. If this Node does
 * not expose the handle, `accepted` is resumed and returned as it is (default reads).
 */
export function adoptReusingReads(accepted: net.Socket, bytes = READ_BUFFER_BYTES): net.Socket {
  const old = accepted as WithHandle;
  const handle = old._handle;
  if (!handle || old.destroyed) { accepted.resume(); return accepted; }
  // Detach the handle (as child_process does before sending a socket), then destroy the empty
  // shell: that closes nothing, and frees the server's count of open connections.
  old._handle = null;
  old.destroy();
  const route: Route = { sink: null, target: null };
  const s: net.Socket = new net.Socket({ handle, readable: true, writable: true, onread: emitReads(() => s, route, bytes) } as net.SocketConstructorOpts);
  routes.set(s, route);
  return s;
}
