import { transitionsPerExecution } from "../local/transitions.js";
import { atMost, type Figure } from "./figures.js";

/** Transitions per automatic fix (Standard workflows bill each one), on a local run of the auto-fix scenario. */
export async function measureTransitions(): Promise<Figure[]> {
  const executions = await transitionsPerExecution();
  const fixed = executions.filter((execution) => execution.outcome === "fixed");
  const most = Math.max(...fixed.map((execution) => execution.states.length));
  return [
    atMost(
      "transitions per auto-fix",
      most,
      "transitions",
      15,
      `${fixed.length} automatic fix(es): ${fixed[0]?.states.join(" > ") ?? "none"}`,
    ),
  ];
}
