import { LocalRuntime, type Report } from "./runtime.js";
import type { Scenario } from "./scenario.js";

/** Runs a scenario through the real pipeline on the sandbox and returns the report. */
export async function simulate(scenario: Scenario): Promise<Report> {
  const runtime = await LocalRuntime.start({
    account: scenario.account,
    region: scenario.region,
    clock: scenario.clock,
    config: scenario.config,
    state: scenario.state,
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
