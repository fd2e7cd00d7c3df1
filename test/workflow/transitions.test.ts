import { describe, expect, it } from "vitest";
import { transitionsPerExecution } from "../../local/transitions.js";

/**
 * Standard workflows bill every state transition: an automatic fix passes
 * only the states that read, decide, change, check, record and tell.
 */
describe("state transitions per automatic fix", () => {
  it("an automatic fix enters at most 15 states: read and decide, apply, verify, record, tell", async () => {
    // Act
    const executions = await transitionsPerExecution();

    // Assess
    expect(executions.map((e) => e.outcome)).toEqual(["fixed"]);
    const [fix] = executions;
    expect(fix?.states.length).toBeLessThanOrEqual(15);
    expect(fix?.states).toEqual([
      "Start",
      "Evaluate",
      "Route",
      "Apply",
      "Verify",
      "Verified",
      "OutcomeFixed",
      "Audit",
      "ShouldNotify",
      "Notify",
      "Done",
    ]);
  });
});
