import { setImmediate as nextTurn, setTimeout as realDelay } from "node:timers/promises";
import type { SandboxClock } from "./clock.js";
import { outsideInvocations } from "./invocation.js";

/**
 * Waits of the pipeline that pass on the sandbox clock instead of in real
 * time: the SDK's retry backoff and token-bucket waits, Step Functions' Retry
 * intervals, Lambda's async retries. Each is a timer on the clock; when
 * nothing else can make progress (no call in flight, nothing changed for a
 * few turns of the event loop, nobody holding time still), the clock jumps to
 * the earliest one, firing whatever else falls due by then (an approval
 * timeout, say) as the passing of that much time would. Concurrent waits
 * overlap as they do in real time, and a scenario with faults runs as fast as
 * one without.
 */
export class SandboxWaits {
  private readonly pending = new Set<{ at: number }>();
  private inflight = 0;
  private activity = 0;
  private driving = false;
  private readonly holds = new Set<() => boolean>();

  constructor(private readonly clock: SandboxClock) {}

  now(): Date {
    return this.clock.now();
  }

  /** Resolves once `ms` have passed on the sandbox clock. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  /** Runs `fn` once `ms` have passed on the sandbox clock; the pipeline is busy until then. */
  later(ms: number, fn: () => unknown): void {
    // Whole milliseconds, rounded up: the clock has no finer grain, and a token bucket waiting for a
    // fraction of a token must see time pass or it would wait again, forever.
    const entry = { at: this.clock.now().getTime() + Math.max(0, Math.ceil(ms)) };
    this.pending.add(entry);
    this.touch();
    this.clock.schedule(new Date(entry.at), () => {
      this.pending.delete(entry);
      this.touch();
      return fn();
    });
    this.drive();
  }

  /** True while some wait has not yet fallen due. */
  waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Something happened: time must not jump in this turn of the event loop. */
  touch(): void {
    this.activity++;
  }

  /** Real-time work (a request to a stand-in over HTTP, a real timer) that time must not jump under. */
  begin(): void {
    this.inflight++;
    this.touch();
  }

  end(): void {
    this.inflight--;
    this.touch();
  }

  async during<T>(work: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await work();
    } finally {
      this.end();
    }
  }

  /** Keeps the clock still while `busy()` says work is about to start; returns the release. */
  hold(busy: () => boolean): () => void {
    this.holds.add(busy);
    return () => {
      this.holds.delete(busy);
      this.drive();
    };
  }

  private quiet(): boolean {
    return this.inflight === 0 && ![...this.holds].some((busy) => busy());
  }

  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    // Timers fired from here belong to no function invocation, whichever started the driver.
    outsideInvocations(() => void this.run());
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        if (!this.quiet()) {
          await realDelay(1);
          continue;
        }
        const seen = this.activity;
        for (let turn = 0; turn < 3; turn++) await nextTurn();
        if (seen !== this.activity || !this.quiet()) continue;
        const due = Math.min(...[...this.pending].map((entry) => entry.at));
        this.clock.advanceTo(new Date(Math.max(due, this.clock.now().getTime())));
      }
    } finally {
      this.driving = false;
    }
  }
}
