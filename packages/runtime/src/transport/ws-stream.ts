/**
 * A WebSocket as a byte stream: `ws`'s own `createWebSocketStream`, plus a
 * vectored write. Without one, a corked batch (a frame's head and its payload
 * parts) goes out one `ws.send` at a time, each waiting for the previous to
 * reach the operating system: a stall per part. Here the whole batch is handed
 * to `ws` at once (it queues the messages in order) and completes with its last
 * message.
 */
import type { Duplex } from 'node:stream';
import { type WebSocket, createWebSocketStream } from 'ws';

export function webSocketDuplex(ws: WebSocket): Duplex {
  return createWebSocketStream(ws, {
    writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void) {
      const last = chunks.length - 1;
      // Messages go out in order, so the last one's completion (or failure) settles the batch.
      for (let i = 0; i < last; i++) ws.send(chunks[i]!.chunk);
      ws.send(chunks[last]!.chunk, callback);
    },
  });
}
