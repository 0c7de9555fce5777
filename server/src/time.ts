import type { BusinessHours, Instant } from '@abm-pilot/shared';
import { addBusinessHours, businessHoursBetween, HOUR_MS, MINUTE_MS } from '@abm-pilot/shared';

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

/** Real time as a simulated clock reads it: a monotonic millisecond count and a repeating timer. */
export type RealTimeSource = Pick<Time, 'now' | 'every'>;

const processTime: RealTimeSource = { now: () => performance.now(), every: systemTime.every };

export interface SimulatedTimeOptions {
  /** The simulated instant at the moment the clock is made. */
  readonly start: Instant;
  /** Business hours of `calendar` that pass per real minute. */
  readonly businessHoursPerMinute: number;
  /** The business hours the clock runs in (the tenant's `businessHours`). */
  readonly calendar: BusinessHours;
  /** Real time: the process's by default; tests pass a virtual one. */
  readonly real?: RealTimeSource;
  /** The shortest real interval `every` runs at, however fast the clock. Default 1 s. */
  readonly minRealIntervalMs?: number;
}

/**
 * A clock that runs `businessHoursPerMinute` business hours per real minute inside the calendar's business
 * hours and skips the rest: the instant after a day's closing is the next business day's opening, so a
 * night, a weekend or a holiday takes no real time at all, and an SLA of business hours runs out in a
 * predictable number of real seconds. Intervals and pauses are simulated durations run in real time at that
 * speed; an interval never runs more often than `minRealIntervalMs`, so a fast clock does not turn a
 * scheduler's every-five-minutes into hundreds of runs a second (runs then see more simulated time pass
 * between them, as they would on a slow day). Deadlines stay real: they bound how long a person waits.
 */
export interface SimulatedTime extends Time {
  /** Simulated business milliseconds per real millisecond. */
  readonly speed: number;
  /** Real milliseconds until the clock reaches `instant`; 0 once it has. */
  realMsUntil(instant: Instant): number;
}

export function simulatedTime(options: SimulatedTimeOptions): SimulatedTime {
  const { calendar, businessHoursPerMinute } = options;
  if (!(Number.isFinite(businessHoursPerMinute) && businessHoursPerMinute > 0)) {
    throw new RangeError(`businessHoursPerMinute must be a positive number, got ${businessHoursPerMinute}`);
  }
  const real = options.real ?? processTime;
  const minRealIntervalMs = options.minRealIntervalMs ?? 1_000;
  const speed = (businessHoursPerMinute * HOUR_MS) / MINUTE_MS;
  // The clock moves from its last reading, so a reading costs one business day at most, however long the
  // clock has run. Only whole simulated milliseconds are consumed: a reading a few microseconds after the
  // last one keeps its fraction in real time instead of losing it.
  let readAt = real.now();
  let instant = options.start;
  const now = (): Instant => {
    const consumed = Math.floor((real.now() - readAt) * speed);
    if (consumed > 0) {
      instant = addBusinessHours(instant, consumed / HOUR_MS, calendar);
      readAt += consumed / speed;
    }
    return instant;
  };
  const realMs = (simulatedMs: number) => Math.max(0, simulatedMs) / speed;
  return {
    speed,
    now,
    sleep: (ms) =>
      new Promise((resolve) => {
        const cancel = real.every(Math.max(1, realMs(ms)), () => {
          cancel();
          resolve();
        });
      }),
    every: (ms, task) => {
      if (!(ms > 0)) throw new RangeError('an interval must be positive');
      return real.every(Math.max(minRealIntervalMs, realMs(ms)), task);
    },
    deadline: realDeadline,
    realMsUntil: (target) => realMs(businessHoursBetween(now(), target, calendar) * HOUR_MS),
  };
}
