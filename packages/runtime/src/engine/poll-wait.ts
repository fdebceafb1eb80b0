/**
 * The polling wait. While a receive or probe is pending, the event loop is
 * kept turning with setImmediate, so libuv polls the sockets with a zero
 * timeout instead of sleeping in epoll_wait: a sleeping process pays a
 * wake-up for each message it waits for, on this kind of VM about half of a
 * small round trip between two ranks (docs/performance.md). Open MPI polls
 * the same way when its ranks do not outnumber the cores, and, like it, tsmpi
 * polls only then (`TSMPI_WAIT=auto`). Unlike it, the spin is bounded: after
 * `budgetUs` without the wait ending, the rank sleeps as before until its
 * next receive is posted, so a long wait costs a bounded amount of CPU.
 */
import { availableParallelism } from 'node:os';
import type { WaitPolicy } from '../constants.js';

export class PollWait {
  /** Receives and probes posted and not yet matched. */
  private pending = 0;
  private spinning = false;
  private deadline = 0;
  private readonly budgetMs: number;
  /** Waits left to sleep through before polling again, after polls that ran out. */
  private skip = 0;
  /** How many waits the next poll that runs out makes this rank skip (doubles each time, up to MAX_BACKOFF). */
  private backoff = 1;
  /** Polls started, waits that ended while polling, and polls that ran out of budget (for tests and profiling). */
  readonly counts = { polled: 0, hits: 0, misses: 0 };

  constructor(budgetUs: number) {
    this.budgetMs = budgetUs / 1000;
  }

  /** A receive (or probe) now waits for a message: poll for up to the budget. */
  begin(): void {
    this.pending++;
    if (this.spinning) {
      this.deadline = performance.now() + this.budgetMs;
      return;
    }
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.counts.polled++;
    this.spinning = true;
    this.deadline = performance.now() + this.budgetMs;
    setImmediate(this.turn);
  }

  /** A waiting receive matched, or was cancelled. */
  end(): void {
    this.pending--;
    if (this.spinning) {
      // The wait ended while polling: polling pays here. Counted per wait, not when the spin stops:
      // in a tight exchange the next wait begins before the spin could see none pending.
      this.counts.hits++;
      this.backoff = 1;
    }
  }

  /** True while the event loop is being kept turning. */
  get polling(): boolean {
    return this.spinning;
  }

  // One bound function, not a closure per turn: this runs tens of thousands of times a second.
  private readonly turn = (): void => {
    if (this.pending === 0) {
      this.spinning = false;
    } else if (performance.now() >= this.deadline) {
      // A wait longer than the budget: the peer is slow, or busy on the CPU this rank spins on
      // (other processes share the cores). Sleep through the next waits, more of them each time
      // this repeats, so a contended host soon sees no polling at all.
      this.spinning = false;
      this.counts.misses++;
      this.skip = this.backoff;
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF);
    } else {
      setImmediate(this.turn);
    }
  };
}

/** Most waits a rank sleeps through before it tries polling again. */
const MAX_BACKOFF = 256;

/**
 * Whether a rank polls: `auto` polls when this host's ranks of the job do not
 * outnumber the cores this process may run on (oversubscribed ranks that spin
 * take the CPU their peers need to answer).
 */
export function shouldPoll(wait: WaitPolicy, localSize: number, budgetUs: number, cores = availableParallelism()): boolean {
  if (budgetUs <= 0 || wait === 'block') return false;
  return wait === 'poll' || localSize <= cores;
}
