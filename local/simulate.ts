import { LOCAL_APPROVAL_URL } from "./approval-server.js";
import { LocalRuntime, type Report, type RuntimeOptions } from "./runtime.js";
import type { Scenario } from "./scenario.js";

/**
 * Optional hooks for tests and tools; the report does not depend on them.
 * `approvalUrl` is the base of the links approval emails carry: by default the
 * local approval page `driftwarden demo` serves, since a simulation serves none.
 */
export type SimulateOptions = Pick<RuntimeOptions, "observer" | "onEvent" | "approvalUrl">;

/** Runs a scenario through the real pipeline on the sandbox and returns the report. */
export async function simulate(scenario: Scenario, options: SimulateOptions = {}): Promise<Report> {
  const runtime = await LocalRuntime.start({
    account: scenario.account,
    region: scenario.region,
    clock: scenario.clock,
    config: scenario.config,
    state: scenario.state,
    faults: scenario.faults,
    observer: options.observer,
    onEvent: options.onEvent,
    approvalUrl: options.approvalUrl ?? LOCAL_APPROVAL_URL,
  });
  try {
    for (const [index, step] of scenario.steps.entries()) {
      await runtime.step(index + 1, step);
    }
    return await runtime.report(scenario.name);
  } finally {
    await runtime.close();
  }
}
