/**
 * The wait report: for each rank, what it is blocked on (operation,
 * communicator, peer, tag, for how long), and any cycle of ranks each waiting
 * on the next — a deadlock.
 */
import type { WaitReport } from '@tsmpi/runtime/launch';

export interface RankWait { host: string; exited: boolean; finalizing: boolean; report?: WaitReport }

const ANY_SOURCE = -1;

const WHY = { timeout: 'time limit reached', signal: 'on request', failure: 'a rank failed; where the others were' } as const;

export function formatWaitReport(ranks: RankWait[], why: keyof typeof WHY): string {
  const lines = [`tsmpiexec: wait report (${WHY[why]}):`];
  ranks.forEach((r, rank) => {
    if (r.exited) { lines.push(`  rank ${rank} (${r.host}): exited`); return; }
    if (!r.report) { lines.push(`  rank ${rank} (${r.host}): no answer (busy computing, or stuck outside tsmpi)`); return; }
    if (r.report.ops.length === 0) {
      lines.push(`  rank ${rank} (${r.host}): ${r.finalizing ? 'in finalize, waiting for the other ranks' : 'not waiting on any message (running)'}`);
      return;
    }
    for (const op of r.report.ops) {
      const peer = op.peer === ANY_SOURCE ? 'any source' : `rank ${op.peer}`;
      const tag = op.tag < 0 ? '' : `, tag ${op.tag}`;
      lines.push(`  rank ${rank} (${r.host}): ${op.op} from ${peer} on communicator ${op.comm}${tag}, for ${(op.sinceMs / 1000).toFixed(1)} s`);
    }
  });
  const cycle = findCycle(ranks);
  if (cycle) lines.push(`  deadlock: ${cycle.map((r) => `rank ${r}`).join(' waits on ')} — a cycle of ranks each waiting for the next`);
  return lines.join('\n');
}

/** A cycle in "rank a waits only on rank b" edges (receives from one named peer), if any. */
export function findCycle(ranks: RankWait[]): number[] | undefined {
  const next = new Map<number, number[]>();
  ranks.forEach((r, rank) => {
    const peers = (r.report?.ops ?? []).map((o) => o.peer).filter((p) => p >= 0);
    if (peers.length) next.set(rank, peers);
  });
  const state = new Map<number, 1 | 2>();
  const stack: number[] = [];
  const visit = (u: number): number[] | undefined => {
    state.set(u, 1); stack.push(u);
    for (const v of next.get(u) ?? []) {
      if (state.get(v) === 1) return [...stack.slice(stack.indexOf(v)), v];
      if (!state.has(v)) { const c = visit(v); if (c) return c; }
    }
    state.set(u, 2); stack.pop();
    return undefined;
  };
  for (const u of next.keys()) if (!state.has(u)) { const c = visit(u); if (c) return c; }
  return undefined;
}
