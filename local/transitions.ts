import { fileURLToPath } from "node:url";
import { loadScenario } from "./scenario.js";
import { simulate } from "./simulate.js";

/**
 * State transitions per execution on a local run of a scenario: Standard
 * workflows bill each state entered, so this is what one remediation costs.
 * The default scenario is an automatic fix (an ALB listener loses its
 * redirect and gets it back, no approval).
 */

export const autoFixScenario = fileURLToPath(
  new URL("../test/scenarios/alb-redirect-restored.json", import.meta.url),
);

export interface ExecutionTransitions {
  execution: string;
  outcome: string;
  /** States entered, in order. */
  states: string[];
}

export async function transitionsPerExecution(file = autoFixScenario): Promise<ExecutionTransitions[]> {
  const scenario = await loadScenario(file);
  const entered = new Map<string, string[]>();
  const report = await simulate(scenario, {
    observer: (event) => {
      if (event.type !== "StateEntered" || !event.state) return;
      const states = entered.get(event.execution) ?? [];
      states.push(event.state);
      entered.set(event.execution, states);
    },
  });
  return report.executions.map((execution) => ({
    execution: execution.id,
    outcome: execution.outcome,
    states: entered.get(execution.id) ?? [],
  }));
}
