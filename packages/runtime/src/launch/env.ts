/** The launch environment tsmpiexec gives each rank (absent → a singleton world of size 1). */
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_POLL_US, Env, type WaitPolicy } from '../constants.js';
import { ErrorCode, tsmpiError } from '../errors.js';
import { parsePortRange } from '../transport/listen.js';

export type TransportChoice = 'auto' | 'tcp' | 'ws';

export interface LaunchEnv {
  rank: number;
  size: number;
  localRank: number;
  localSize: number;
  job: string;
  hostId: string;
  transport: TransportChoice;
  bind: string;
  socketDir: string | undefined;
  maxPayload: number;
  ports: [number, number] | undefined;
  wait: WaitPolicy;
  pollUs: number;
}

function int(name: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 0) {
    throw tsmpiError(ErrorCode.INIT, `${name}=${v} is not a valid number: this process was not started by a compatible tsmpiexec`);
  }
  return n;
}

export function readLaunchEnv(env: NodeJS.ProcessEnv = process.env): LaunchEnv | undefined {
  if (env[Env.RANK] === undefined) return undefined;
  const rank = int(Env.RANK, env[Env.RANK]);
  const size = int(Env.SIZE, env[Env.SIZE]);
  if (rank >= size) throw tsmpiError(ErrorCode.INIT, `${Env.RANK}=${rank} is not below ${Env.SIZE}=${size}`);
  const transport = (env[Env.TRANSPORT] ?? 'auto') as TransportChoice;
  if (!['auto', 'tcp', 'ws'].includes(transport)) {
    throw tsmpiError(ErrorCode.INIT, `${Env.TRANSPORT}=${transport}: choose auto, tcp or ws`);
  }
  return {
    rank, size,
    localRank: int(Env.LOCAL_RANK, env[Env.LOCAL_RANK] ?? String(rank)),
    localSize: int(Env.LOCAL_SIZE, env[Env.LOCAL_SIZE] ?? String(size)),
    job: env[Env.JOB] ?? 'job',
    hostId: env[Env.HOST_ID] ?? 'localhost',
    transport,
    bind: env[Env.BIND] ?? '127.0.0.1',
    socketDir: env[Env.SOCKET_DIR] || undefined,
    maxPayload: env[Env.MAX_MESSAGE] ? int(Env.MAX_MESSAGE, env[Env.MAX_MESSAGE]) : DEFAULT_MAX_PAYLOAD_BYTES,
    ports: ports(env[Env.PORTS]),
    ...waitPolicy(env),
  };
}

/** TSMPI_WAIT and TSMPI_POLL_US, checked: the user sets these, so say what is wrong in their terms. */
export function waitPolicy(env: NodeJS.ProcessEnv): { wait: WaitPolicy; pollUs: number } {
  const wait = (env[Env.WAIT] || 'auto') as WaitPolicy;
  if (!['auto', 'poll', 'block'].includes(wait)) {
    throw tsmpiError(ErrorCode.INIT, `${Env.WAIT}=${wait}: choose auto (poll while the host's ranks do not outnumber its cores), poll or block`);
  }
  const v = env[Env.POLL_US];
  const pollUs = v === undefined || v === '' ? DEFAULT_POLL_US : Number(v);
  if (!Number.isFinite(pollUs) || pollUs < 0) {
    throw tsmpiError(ErrorCode.INIT, `${Env.POLL_US}=${v}: give how long a waiting rank polls before it sleeps, in microseconds (0 or more)`);
  }
  return { wait, pollUs };
}

function ports(v: string | undefined): [number, number] | undefined {
  try {
    return parsePortRange(v);
  } catch (err) {
    throw tsmpiError(ErrorCode.INIT, `${Env.PORTS}: ${(err as Error).message}`, err);
  }
}
