/**
 * Messages on the control channel between a rank and the agent that started
 * it (the launcher itself for local ranks). JSON over Node's IPC pipe: the
 * secret travels here, never on a command line or in the environment.
 */
import type { Card } from '../transport/transport.js';

export type RankToAgent =
  | { t: 'hello'; rank: number }
  | { t: 'card'; rank: number; card: Card }
  | { t: 'finalize'; rank: number }
  | { t: 'abort'; rank: number; code: number }
  | { t: 'waiting'; rank: number; report: WaitReport };

export type AgentToRank =
  | { t: 'secret'; secret: string }
  | { t: 'table'; cards: Card[] }
  | { t: 'table-failed'; message: string }
  | { t: 'release' }
  | { t: 'report' };

/** What a rank is blocked on, for the timeout / on-demand report. */
export interface WaitReport {
  ops: { op: string; comm: number; peer: number; tag: number; sinceMs: number }[];
}
