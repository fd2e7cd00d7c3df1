/**
 * The deployment's clock. In Lambda it is the system clock; the local runtime
 * feeds the sandbox clock so timeouts, expiries and audit times follow it.
 */
let source: () => Date = () => new Date();

export function now(): Date {
  return source();
}

export function useClock(clock: (() => Date) | undefined): void {
  source = clock ?? (() => new Date());
}
