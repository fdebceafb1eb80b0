/**
 * Messages between tsmpiexec and a host agent, after the agent proved it
 * knows the job secret. Each is JSON, framed by a u32 length. One message per
 * host each way carries the address table (cards up, table down).
 */
import type { AgentToRank, Card, RankToAgent } from '@tsmpi/runtime/launch';

export interface AgentRank { rank: number; localRank: number }

/** Sent to the agent on its standard input (never on a command line). */
export interface AgentConfig {
  secret: string;
  job: string;
  launcher: { host: string; port: number };
  /** Index of this host in the job (agent id in the handshake). Under srun, SLURM_NODEID picks the entry. */
  hostIndex: number;
  hosts: { host: string; ranks: AgentRank[] }[];
  size: number;
  program: string;
  args: string[];
  wdir: string;
  node: string;
  env: Record<string, string>;
  transport: 'auto' | 'tcp' | 'ws';
  iface?: string;
  ports?: [number, number];
  tagOutput: boolean;
}

export type AgentToLauncher =
  | { t: 'ready'; hostIndex: number; address: string; pid: number }
  | { t: 'ping' }
  | { t: 'cards'; cards: Record<number, Card> }
  | { t: 'rank'; rank: number; m: RankToAgent }
  | { t: 'out'; rank: number; fd: 1 | 2; data: string }
  | { t: 'exit'; rank: number; pid: number; code: number | null; signal: NodeJS.Signals | null; error?: string };

export type LauncherToAgent =
  | { t: 'table'; cards: Card[] }
  | { t: 'table-failed'; message: string }
  | { t: 'rank'; rank: number; m: AgentToRank }
  | { t: 'stdin'; data: string | null }
  | { t: 'kill'; signal: NodeJS.Signals }
  | { t: 'ping' };

/** Agent ids in the handshake are offset so they can never be taken for a rank. */
export const AGENT_ID_BASE = 1 << 30;
export const MAX_CONTROL_MESSAGE = 64 << 20;
