/**
 * Step Functions' Retry intervals, on the sandbox clock. aws-local-stepfunctions
 * runs a state's Retry itself but would sleep in real time, so the local
 * runtime tells it to wait zero and waits here instead, before the retried
 * attempt starts: this mirrors the library's own decision (the first retrier
 * whose ErrorEquals names the error, its MaxAttempts, IntervalSeconds,
 * BackoffRate, MaxDelaySeconds and JitterStrategy, counted per visit of the
 * state) so the two always agree on whether and when an attempt is a retry.
 */

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface RetryingState {
  Type: string;
  Retry?: Retrier[];
}

// The defaults of the Amazon States Language (and of aws-local-stepfunctions).
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

interface Visit {
  attempts: number[];
  /** Milliseconds the next attempt waits, once a failure was retried. */
  owed: number;
}

function names(error: string, retrier: Retrier, state: RetryingState): boolean {
  return retrier.ErrorEquals.some(
    (name) =>
      name === error ||
      name === "States.ALL" ||
      (name === "States.TaskFailed" && state.Type === "Task" && error !== "States.Timeout"),
  );
}

export class StateRetries {
  private readonly visits = new Map<string, Visit>();

  constructor(
    private readonly states: Record<string, RetryingState>,
    /** Uniform in [0, 1) for FULL jitter, given a stable key. */
    private readonly random: (key: string) => number,
  ) {}

  /** How long the attempt about to start must wait (0 unless it retries a failure). */
  owed(visit: string): number {
    const current = this.visits.get(visit);
    const owed = current?.owed ?? 0;
    if (current) current.owed = 0;
    return owed;
  }

  succeeded(visit: string): void {
    this.visits.delete(visit);
  }

  /** Records a failed attempt of `stateName`; a failure no retrier takes ends the visit. */
  failed(visit: string, stateName: string, error: string): void {
    const state = this.states[stateName];
    const retriers = state?.Retry ?? [];
    const current = this.visits.get(visit) ?? { attempts: retriers.map(() => 0), owed: 0 };
    const index = state ? retriers.findIndex((retrier) => names(error, retrier, state)) : -1;
    const retrier = retriers[index];
    const attempts = current.attempts[index] ?? 0;
    if (!retrier || attempts >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      this.visits.delete(visit);
      return;
    }
    const interval =
      (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) *
      (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** attempts;
    let wait = Math.min(interval, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000;
    if (retrier.JitterStrategy === "FULL") {
      wait = Math.floor(this.random(`${visit} retrier ${index} attempt ${attempts + 1}`) * (wait + 1));
    }
    current.attempts[index] = attempts + 1;
    current.owed = wait;
    this.visits.set(visit, current);
  }
}
