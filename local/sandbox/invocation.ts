import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The local Lambda invocation a piece of code runs in. The local runtime runs
 * every function invocation (intake, sweep, reminders, approval decisions,
 * workflow steps) inside one, which lets the sandbox tell driftwarden's calls
 * from a scenario's own (faults hit only the former) and kill an invocation
 * the way a crash or a timeout kills a Lambda: once crashed, every further AWS
 * call it makes fails and whatever it returns is thrown away.
 */
export class Invocation {
  /** The call after which the invocation died, once it has. */
  crashed: { service: string; action: string } | undefined;
  private readonly counters = new Map<string, number>();

  constructor(
    readonly functionName: string,
    /** Unique within a run and the same in every run of a scenario: fault randomness is keyed on it. */
    readonly id: string,
  ) {}

  /** 1, 2, 3... per key: the position of a call within this invocation. */
  next(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }
}

const storage = new AsyncLocalStorage<Invocation>();

export function currentInvocation(): Invocation | undefined {
  return storage.getStore();
}

/** Runs `fn` outside any invocation: work that belongs to no function (an execution, the clock's driver). */
export function outsideInvocations<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * What a function sees from its calls after it died, and what its invoker sees
 * instead of its result: the runtime exited mid-invocation, as Lambda reports it.
 */
export class FunctionCrashedError extends Error {
  constructor(readonly invocation: Invocation) {
    const after = invocation.crashed
      ? ` after ${invocation.crashed.service}:${invocation.crashed.action}`
      : "";
    super(`RequestId: ${invocation.id} Error: Runtime exited with error: signal: killed${after}`);
    this.name = "Runtime.ExitError";
  }
}

/**
 * Runs one function invocation. A crashed invocation fails with
 * FunctionCrashedError whatever the function itself did afterwards (it may
 * have caught the error of its dying call and carried on, as code does).
 */
export async function runInvocation<T>(functionName: string, id: string, run: () => Promise<T>): Promise<T> {
  const invocation = new Invocation(functionName, id);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await storage.run(invocation, run) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (invocation.crashed) throw new FunctionCrashedError(invocation);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
