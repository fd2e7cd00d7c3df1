/**
 * The deployment's clock. In Lambda it is the system clock and a pause is a
 * timer; the local runtime feeds the sandbox clock (and pauses on it) so
 * timeouts, expiries, audit times and pacing follow it.
 */
const systemClock = (): Date => new Date();
const timerPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let source: () => Date = systemClock;
let pause: (ms: number) => Promise<void> = timerPause;

export function now(): Date {
  return source();
}

/** Resolves once `ms` have passed on the deployment's clock. */
export function sleep(ms: number): Promise<void> {
  return pause(ms);
}

export function useClock(clock: (() => Date) | undefined, sleeper?: (ms: number) => Promise<void>): void {
  source = clock ?? systemClock;
  pause = sleeper ?? timerPause;
}
