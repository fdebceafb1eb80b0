/**
 * Start-up and shut-down of a rank: `init()` builds the world communicator
 * (from tsmpiexec's environment, or as a singleton world of size 1), and
 * `finalize()` delivers every queued message and waits at the job-wide
 * closing barrier, so no rank leaves while a peer may still send to it.
 * Without an explicit finalize(), it runs when the program has nothing left to do.
 */
import { hostname } from 'node:os';
import { freeDeadPayloadsPromptly } from './codec/payload-memory.js';
import { debug } from './debug.js';
import { FIRST_FREE_CONTEXT, WORLD_CONTEXT } from './constants.js';
import { Comm, type CommHooks } from './comm/comm.js';
import { Engine } from './engine/engine.js';
import { hold } from './engine/keep-alive.js';
import { PollWait, shouldPoll } from './engine/poll-wait.js';
import { ErrorCode, tsmpiError } from './errors.js';
import { AgentChannel } from './launch/agent-channel.js';
import { readLaunchEnv } from './launch/env.js';
import { InProcessHub } from './transport/inprocess-transport.js';
import { NetDialer } from './transport/net-dialer.js';
import { StreamTransport } from './transport/stream-transport.js';
import type { Transport } from './transport/transport.js';

export type CommClass<C extends Comm = Comm> = new (engine: Engine, context: number, group: readonly number[], hooks: CommHooks) => C;

interface Runtime { world: Comm; engine: Engine; transport?: Transport; channel?: AgentChannel }

let runtime: Promise<Runtime> | undefined;
let finalizing: Promise<void> | undefined;
const t0 = performance.now();

/** Seconds since an arbitrary origin (mpi4py's `MPI.Wtime`). */
export function wtime(): number { return (performance.timeOrigin + performance.now()) / 1000; }
/** Resolution of wtime() in seconds. */
export function wtick(): number { return 1e-6; }
/** This host's name (mpi4py's `MPI.Get_processor_name`). */
export function getProcessorName(): string { return hostname(); }
void t0;

/** True once init() has been called. */
export function isInitialized(): boolean { return runtime !== undefined; }
/** True once finalize() has started. */
export function isFinalized(): boolean { return finalizing !== undefined; }

/**
 * The world communicator. The first call starts the runtime; later calls
 * return the same communicator. `Comm` lets a higher layer (the collectives)
 * choose the communicator class.
 */
export function init<C extends Comm = Comm>(options: { Comm?: CommClass<C> } = {}): Promise<C> {
  runtime ??= start(options.Comm ?? (Comm as unknown as CommClass));
  return runtime.then((r) => r.world as C);
}

function abortHooks(channel: AgentChannel | undefined, rank: number): CommHooks {
  return {
    abort(code: number): never {
      const c = Number.isInteger(code) ? code & 0xff : 1;
      channel?.send({ t: 'abort', rank, code });
      process.stderr.write(`tsmpi: rank ${rank} called abort(${code})\n`);
      process.exit(c === 0 && channel ? 0 : c);
    },
  };
}

async function start(Cls: CommClass): Promise<Runtime> {
  const env = readLaunchEnv();
  if (!env) {
    const engine = new Engine(0, 1, FIRST_FREE_CONTEXT);
    const world = new Cls(engine, WORLD_CONTEXT, [0], abortHooks(undefined, 0));
    return { world, engine };
  }
  // A rank of a job receives from others, large arrays included: their memory should be reused.
  freeDeadPayloadsPromptly();
  const release = hold();
  try {
    const channel = new AgentChannel(env.rank);
    const { secret } = await channel.request({ t: 'hello', rank: env.rank }, 'secret');
    const engine = new Engine(env.rank, env.size, FIRST_FREE_CONTEXT);
    if (shouldPoll(env.wait, env.localSize, env.pollUs)) engine.poll = new PollWait(env.pollUs);
    const dialer = env.transport === 'ws'
      // Loaded only when used: `ws` costs every rank (and tsmpiexec) start-up time otherwise.
      ? new (await import('./transport/ws-dialer.js')).WsDialer({ hostId: env.hostId, bind: env.bind, ports: env.ports })
      : new NetDialer({ hostId: env.hostId, bind: env.bind, socketDir: env.socketDir, rank: env.rank, sameHostPath: env.transport === 'auto', allPeersLocal: env.localSize === env.size, ports: env.ports });
    const transport = new StreamTransport({
      rank: env.rank,
      size: env.size,
      secret: Buffer.from(secret, 'hex'),
      maxPayload: env.maxPayload,
      dialer,
      events: { onFrame: (h, p, c) => engine.onFrame(h, p, c), claim: (h, n) => engine.claim(h, n), onFatal: (e) => engine.onFatal(e) },
    });
    engine.transport = transport;
    const card = await transport.listen();
    const { cards } = await channel.request({ t: 'card', rank: env.rank, card }, 'table', 'table-failed');
    if (cards.length !== env.size) throw tsmpiError(ErrorCode.INIT, `the launcher sent ${cards.length} addresses for ${env.size} ranks`);
    transport.setPeers(cards);
    channel.onMessage = (m) => {
      if (m.t === 'report') channel.send({ t: 'waiting', rank: env.rank, report: engine.waiting() });
    };
    const world = new Cls(engine, WORLD_CONTEXT, Array.from({ length: env.size }, (_, i) => i), abortHooks(channel, env.rank));
    process.on('beforeExit', onBeforeExit);
    return { world, engine, transport, channel };
  } finally {
    release();
  }
}

function onBeforeExit(): void {
  // The program has nothing left to do: finalize for it (once).
  if (!finalizing) void finalize();
}

/**
 * Deliver every queued outgoing message, wait until every rank has reached
 * finalize (or exited), then close all connections. Safe to call twice.
 */
export function finalize(): Promise<void> {
  finalizing ??= (async () => {
    if (!runtime) return;
    const release = hold();
    try {
      const r = await runtime;
      debug('finalize: flushing');
      await r.engine.flush();
      debug('finalize: closing barrier');
      if (r.channel) await r.channel.request({ t: 'finalize', rank: r.engine.rank }, 'release');
      r.channel?.close();
      debug('finalize: closing transport');
      await r.transport?.close();
      debug('finalize: done');
    } finally {
      release();
    }
  })();
  return finalizing;
}

/**
 * N ranks in this process over the in-process transport, for tests of
 * everything above the transport. Returns each rank's world communicator.
 */
export function createInProcessWorld<C extends Comm = Comm>(size: number, Cls?: CommClass<C>): { comms: C[]; engines: Engine[]; hub: InProcessHub } {
  const hub = new InProcessHub();
  const engines: Engine[] = [];
  const comms: C[] = [];
  const group = Array.from({ length: size }, (_, i) => i);
  const C = Cls ?? (Comm as unknown as CommClass<C>);
  for (let r = 0; r < size; r++) {
    const engine = new Engine(r, size, FIRST_FREE_CONTEXT);
    engine.fatalHandler = (e) => { throw e; };
    engine.transport = hub.endpoint(r, { onFrame: (h, p) => engine.onFrame(h, p), onFatal: (e) => engine.onFatal(e) });
    engines.push(engine);
    comms.push(new C(engine, WORLD_CONTEXT, group, {
      abort(code: number): never { throw tsmpiError(ErrorCode.STATE, `rank ${r} called abort(${code})`); },
    }));
  }
  return { comms, engines, hub };
}
