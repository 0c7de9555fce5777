import type { Instant } from '@abm-pilot/shared';

// Time as the server sees it, one port for all of it, so that tests and demos can run the same composition
// root on a clock of their own: what time it is, waits between retries, and the scheduler's intervals.

export interface Time {
  now(): Instant;
  /** A pause in the work (a retry's backoff, a rate limit): it lets time pass. */
  sleep(ms: number): Promise<void>;
  /** Runs `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
  /**
   * Resolves after `ms` of real time, whatever clock the rest runs on: it bounds how long a person waits
   * for an answer, which is a latency, not an event of the business day.
   */
  deadline(ms: number): Promise<void>;
}

const realDeadline = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    // A pending deadline must not keep a stopping process alive.
    setTimeout(resolve, ms).unref();
  });

export const systemTime: Time = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every(ms, task) {
    const timer = setInterval(task, ms);
    return () => clearInterval(timer);
  },
  deadline: realDeadline,
};

interface VirtualTimer {
  readonly id: number;
  dueAt: Instant;
  readonly every: number;
  readonly task: () => void;
}

/**
 * A clock that moves only when told to. `advance` fires the intervals that fall due, in order; `sleep`
 * passes its time at once (a backoff in a test has nothing to wait for). The CRM emulators can share
 * `now`, so that their timestamps and the server's agree.
 */
export interface VirtualTime extends Time {
  advance(ms: number): void;
  /** Moves to `instant` (never backwards), firing what falls due. */
  advanceTo(instant: Instant): void;
}

export function virtualTime(start: Instant): VirtualTime {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, VirtualTimer>();

  const advanceTo = (target: Instant): void => {
    for (;;) {
      let due: VirtualTimer | null = null;
      for (const timer of timers.values()) {
        if (timer.dueAt <= target && (due === null || timer.dueAt < due.dueAt)) due = timer;
      }
      if (due === null) break;
      now = Math.max(now, due.dueAt);
      due.dueAt += due.every;
      due.task();
    }
    now = Math.max(now, target);
  };

  return {
    now: () => now,
    async sleep(ms) {
      now += Math.max(0, ms);
    },
    every(ms, task) {
      if (!(ms > 0)) throw new RangeError('an interval must be positive');
      const id = nextId++;
      timers.set(id, { id, dueAt: now + ms, every: ms, task });
      return () => void timers.delete(id);
    },
    deadline: realDeadline,
    advance: (ms) => advanceTo(now + ms),
    advanceTo,
  };
}
