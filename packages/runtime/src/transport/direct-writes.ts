/**
 * Frames written straight to a socket's handle, past `Writable`.
 *
 * `socket.write()` of one small buffer runs Node's Writable state machine
 * (state checks, a callback object, a `process.nextTick` per write) before the
 * handle's `writeBuffer` and after it: per message, about as much CPU as the
 * rest of a send. When the Writable holds nothing (no byte queued or in flight),
 * nothing can be overtaken, so a small frame goes to the handle at once, as
 * Node's own `writeGeneric` would pass it, and a large one (head and payload
 * parts) as one vectored write, as `writevGeneric` would after cork/uncork.
 * For large messages the Writable's cost is less the CPU of a warm process
 * than the code it runs: a dozen functions per write, which V8 optimizes only
 * after thousands of writes. A loop of 1 MiB Allreduce calls on 4 ranks (2
 * cores) took 2.40-2.44 ms per call over its first 500 calls instead of
 * 2.64-2.70 ms through the Writable, and 5 % less CPU over 2,000 calls.
 *
 * libuv keeps every write request of a handle in one queue, so frames written
 * here and through `write()` later stay in order even when the kernel's buffer
 * is full and a write completes later.
 *
 * The handle's write requests (`WriteWrap`) are reachable only through
 * `process.binding('stream_wrap')`; where that is missing (another runtime, a
 * future Node), both return Direct.NO and the caller uses `write()`.
 */
import type net from 'node:net';

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

interface WriteReq {
  handle: Handle;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  bytes: number;
  /** What libuv writes from, kept alive until the write completes. */
  buffer: Buffer | readonly Uint8Array[] | null;
  /** Ours: the socket, and what to call once a write that went on in the background completed. */
  socket: net.Socket;
  done: ((err?: Error) => void) | undefined;
}

interface Handle {
  writeBuffer(req: WriteReq, data: Buffer): number;
  writev(req: WriteReq, chunks: readonly Uint8Array[], allBuffers: boolean): number;
}

type WithHandle = net.Socket & { _handle?: Handle | null };

function loadBinding(): StreamWrapBinding | undefined {
  // Under --pending-deprecation, process.binding() prints a deprecation warning (DEP0111) into the
  // program's output: not worth a few microseconds per message, so such a process uses write().
  if (process.execArgv.includes('--pending-deprecation') || /--pending-deprecation\b/.test(process.env.NODE_OPTIONS ?? '')) return undefined;
  try {
    const b = (process as unknown as { binding(name: string): StreamWrapBinding }).binding('stream_wrap');
    return typeof b?.WriteWrap === 'function' && b.streamBaseState instanceof Int32Array && typeof b.kLastWriteWasAsync === 'number' ? b : undefined;
  } catch {
    return undefined;
  }
}

const binding = loadBinding();
/** A request object free for the next write (see writeDirect). */
let spare: WriteReq | undefined;

/** What `writeDirect` did. */
export const Direct = {
  /** Not written: the caller writes through `socket.write()`. */
  NO: 0,
  /** The kernel took it all (the usual case); `done` is not called. */
  WRITTEN: 1,
  /** libuv writes the rest later, or the write failed: `done` will be called. */
  PENDING: 2,
} as const;
export type Direct = (typeof Direct)[keyof typeof Direct];

/**
 * A failed write, as Node's own socket reports it (EPIPE, ECONNRESET...).
 * node:util is taken on this error path only, and as the CommonJS module:
 * Node 22's ES-module facade of node:util reads every lazy export, which
 * loads node:worker_threads and node:perf_hooks into every rank.
 */
function writeError(status: number): Error {
  let name: string;
  try { name = process.getBuiltinModule('node:util').getSystemErrorName(status); } catch { name = `error ${status}`; }
  return Object.assign(new Error(`write ${name}`), { code: name, errno: status, syscall: 'write' });
}

/** Ends a write that went on in the background, or failed (as Node destroys a socket whose write failed). */
function finish(req: WriteReq, status: number): void {
  req.buffer = null;
  const err = status < 0 ? writeError(status) : undefined;
  if (err) req.socket.destroy(err);
  req.done?.(err);
}

function onComplete(this: WriteReq, status: number): void { finish(this, status); }

/**
 * Write `buf` to `s`'s handle now, if nothing is queued in its Writable
 * (see above). `done` is called only for Direct.PENDING: with the error, if
 * the write failed, after the socket was destroyed with it.
 */
export function writeDirect(s: net.Socket, buf: Buffer, done?: (err?: Error) => void): Direct {
  return dispatch(s, buf, done);
}

/**
 * Write `chunks` (each a view of any bytes) to `s`'s handle as one vectored
 * write, on the same terms as `writeDirect`; the chunks must stay unchanged
 * until it returns WRITTEN or calls `done`.
 */
export function writevDirect(s: net.Socket, chunks: readonly Uint8Array[], done: (err?: Error) => void): Direct {
  return dispatch(s, chunks, done);
}

function dispatch(s: net.Socket, data: Buffer | readonly Uint8Array[], done: ((err?: Error) => void) | undefined): Direct {
  const h = (s as WithHandle)._handle;
  if (!binding || !h || s.writableLength !== 0 || s.destroyed || s.writableEnded || s.connecting) return Direct.NO;
  // A request the kernel's immediate write completed was never tied to a native
  // write (Node attaches one only for a write that goes on in the background):
  // the next write reuses it instead of making another API object per message.
  const req = spare ?? new binding.WriteWrap();
  spare = undefined;
  req.handle = h;
  req.oncomplete = onComplete;
  req.async = false;
  req.bytes = 0;
  req.buffer = null;
  req.socket = s;
  req.done = done;
  const status = Array.isArray(data) ? h.writev(req, data, true) : h.writeBuffer(req, data as Buffer);
  if (status !== 0) {
    // Reported after the caller has counted the write, as an asynchronous failure would be.
    process.nextTick(finish, req, status);
    return Direct.PENDING;
  }
  if (binding.streamBaseState[binding.kLastWriteWasAsync] === 0) {
    req.done = undefined;
    spare = req;
    return Direct.WRITTEN;
  }
  // libuv still holds part of it: keep the bytes alive until oncomplete.
  req.async = true;
  req.buffer = data;
  return Direct.PENDING;
}
