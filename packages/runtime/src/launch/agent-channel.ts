/** The rank's side of the control channel (Node IPC to its agent). */
import { ErrorCode, tsmpiError } from '../errors.js';
import { hold } from '../engine/keep-alive.js';
import type { AgentToRank, RankToAgent } from './control-messages.js';

export class AgentChannel {
  private waiters = new Map<string, (m: AgentToRank) => void>();
  private early = new Map<string, AgentToRank>();
  /** Called for unsolicited messages (e.g. a report request). */
  onMessage: ((m: AgentToRank) => void) | undefined;
  private closing = false;

  constructor(private readonly rank: number) {
    if (typeof process.send !== 'function') {
      throw tsmpiError(ErrorCode.INIT, 'this rank has no control channel to tsmpiexec: start it with tsmpiexec, or run it alone (without TSMPI_RANK set) as a singleton');
    }
    process.on('message', (m: AgentToRank) => {
      const w = this.waiters.get(m.t);
      if (w) { this.waiters.delete(m.t); w(m); } else if (this.onMessage && m.t === 'report') this.onMessage(m);
      else this.early.set(m.t, m);
    });
    process.on('disconnect', () => {
      // The launcher or agent is gone: nobody will end this rank, so end it now (no orphans) —
      // also after finalize, when a program that keeps running would otherwise outlive its job.
      if (this.closing) process.exit(process.exitCode ?? 0);
      process.stderr.write(`tsmpi: rank ${this.rank}: lost the connection to tsmpiexec; exiting\n`);
      process.exit(1);
    });
    // Do not let the channel alone keep a finished program alive.
    (process.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
  }

  send(m: RankToAgent): void {
    process.send!(m);
  }

  /** Send `m` and wait for the reply of type `reply` (or of type `failure`). */
  request<K extends AgentToRank['t']>(m: RankToAgent, reply: K, failure?: AgentToRank['t']): Promise<Extract<AgentToRank, { t: K }>> {
    const release = hold();
    return new Promise<AgentToRank>((resolve, reject) => {
      const take = (t: string, f: (x: AgentToRank) => void) => {
        const e = this.early.get(t);
        if (e) { this.early.delete(t); f(e); return true; }
        this.waiters.set(t, f);
        return false;
      };
      if (take(reply, resolve)) return;
      if (failure) {
        take(failure, (x) => {
          this.waiters.delete(reply);
          reject(tsmpiError(ErrorCode.INIT, (x as { message?: string }).message ?? 'start-up failed'));
        });
      }
      this.send(m);
    }).finally(release) as Promise<Extract<AgentToRank, { t: K }>>;
  }

  close(): void { this.closing = true; }
}
