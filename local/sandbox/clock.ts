import { durationSeconds } from "../../functions/lib/duration.js";
import { ConfigurationError } from "../../functions/lib/errors.js";

export const DEFAULT_SANDBOX_START = "2026-01-01T00:00:00Z";

interface Timer {
  at: number;
  seq: number;
  fn: () => unknown;
}

export interface TimerHandle {
  readonly at: Date;
  cancel(): void;
}

/**
 * Time in the sandbox only moves when told to. Timers fire in due order (ties
 * in scheduling order) while `advance` passes them, each seeing the clock at
 * its own due time, so a timeout that falls due at 09:24 is recorded at 09:24
 * even when the scenario jumps a whole day. Timer callbacks may be async:
 * `advance` starts them in order and `settle()` waits for all of them.
 */
export class SandboxClock {
  private current: number;
  private readonly timers: Timer[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private seq = 0;

  constructor(start: string | Date = DEFAULT_SANDBOX_START) {
    const ms = start instanceof Date ? start.getTime() : Date.parse(start);
    if (Number.isNaN(ms))
      throw new ConfigurationError(`clock: "${String(start)}" is not an ISO-8601 date-time`);
    this.current = ms;
  }

  now(): Date {
    return new Date(this.current);
  }

  /** The current time as EventBridge and CloudTrail print it (seconds, `Z`). */
  isoSeconds(date: Date = this.now()): string {
    return date.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Runs `fn` when the clock reaches `at`; a time already past fires on the next advance (even by 0). */
  schedule(at: Date, fn: () => unknown): TimerHandle {
    const timer: Timer = { at: at.getTime(), seq: this.seq++, fn };
    this.timers.push(timer);
    return {
      at: new Date(timer.at),
      cancel: () => this.remove(timer),
    };
  }

  after(ms: number, fn: () => unknown): TimerHandle {
    return this.schedule(new Date(this.current + ms), fn);
  }

  /** Moves the clock forward by milliseconds or an ISO-8601 duration (PT5M, P1D), firing due timers. */
  advance(by: number | string): void {
    const ms = typeof by === "string" ? durationSeconds(by, "advance") * 1000 : by;
    if (!Number.isFinite(ms) || ms < 0)
      throw new ConfigurationError(`advance: ${String(by)} must not be negative`);
    this.advanceTo(new Date(this.current + ms));
  }

  advanceTo(target: Date): void {
    const end = target.getTime();
    if (end < this.current) {
      throw new ConfigurationError(
        `advanceTo: ${target.toISOString()} is before ${this.now().toISOString()}`,
      );
    }
    for (let timer = this.nextDue(end); timer; timer = this.nextDue(end)) {
      this.current = Math.max(this.current, timer.at);
      const result = timer.fn();
      if (result instanceof Promise) {
        const tracked: Promise<unknown> = result.finally(() => this.running.delete(tracked));
        this.running.add(tracked);
      }
    }
    this.current = end;
  }

  /** Waits until every timer callback started so far (and any they start) has finished. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Due times of timers not yet fired, in firing order. */
  pending(): Date[] {
    return [...this.timers].sort(byDue).map((t) => new Date(t.at));
  }

  private remove(timer: Timer): void {
    const index = this.timers.indexOf(timer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  private nextDue(end: number): Timer | undefined {
    const next = this.timers.filter((t) => t.at <= end).sort(byDue)[0];
    if (next) this.remove(next);
    return next;
  }
}

function byDue(a: Timer, b: Timer): number {
  return a.at - b.at || a.seq - b.seq;
}
