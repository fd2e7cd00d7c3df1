import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which deployed function the local runtime is running right now. In AWS each
 * function runs in its own sandbox with its own role; here one process runs
 * them all, so the runtime names the function around each invocation and
 * whatever wants to know (a test checking every call against that function's
 * IAM statements) asks. `remediator` is the apply step, which runs as that role.
 */
export type LocalFunction =
  | "intake"
  | "sweep"
  | "evaluate"
  | "requestApproval"
  | "remediator"
  | "verify"
  | "audit"
  | "notify"
  | "approvalEndpoint"
  | "reminders";

const running = new AsyncLocalStorage<LocalFunction>();

export function asFunction<T>(name: LocalFunction, body: () => T): T {
  return running.run(name, body);
}

/** The function whose invocation made this call; undefined for a person's own call (a scenario step, the CLI). */
export function currentFunction(): LocalFunction | undefined {
  return running.getStore();
}
