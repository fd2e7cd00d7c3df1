import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { stateMachineStatements } from "../../infra/permissions.js";
import { definitionJson, stateMachineName } from "../../infra/workflow.js";
import { workflowSteps } from "../../workflows/remediation.js";
import { stepArns } from "./support.js";

/** Every Lambda ARN the definition calls, directly (Task Resource) or through lambda:invoke (FunctionName). */
function invokedFunctions(definition: { States: Record<string, Record<string, unknown>> }): string[] {
  return Object.values(definition.States).flatMap((state) => {
    const resource = state.Resource;
    if (typeof resource !== "string") return [];
    if (resource.startsWith("arn:aws:lambda:")) return [resource];
    const parameters = state.Parameters as { FunctionName?: string } | undefined;
    return parameters?.FunctionName ? [parameters.FunctionName] : [];
  });
}

describe("deployed state machine", () => {
  it("is valid ASL with deployed-shaped function ARNs", () => {
    // Prepare
    const definition = JSON.parse(definitionJson(stepArns));

    // Act
    const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assess
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it("calls only the step functions, and every one of them", () => {
    // Prepare
    const definition = JSON.parse(definitionJson(stepArns));

    // Act
    const invoked = new Set(invokedFunctions(definition));

    // Assess
    expect([...invoked].sort()).toEqual(Object.values(stepArns).sort());
  });

  it("has a role allowing lambda:InvokeFunction on exactly the step ARNs, and only log delivery besides", () => {
    // Prepare / Act
    const statements = stateMachineStatements(stepArns);

    // Assess
    const invoke = statements.filter((s) => s.actions.some((action) => action.startsWith("lambda:")));
    expect(invoke).toEqual([
      { sid: "InvokeSteps", actions: ["lambda:InvokeFunction"], resources: Object.values(stepArns).sort() },
    ]);
    expect(invoke[0]?.resources).toHaveLength(workflowSteps.length);
    const others = statements.filter((s) => !invoke.includes(s));
    for (const statement of others) {
      expect(statement.actions.every((action) => action.startsWith("logs:"))).toBe(true);
    }
  });

  it.each([
    ["production", "driftwarden-production-remediation"],
    ["pr-42", "driftwarden-pr-42-remediation"],
  ])("has a fixed name per stage (%s), so its ARN is known before it exists", (stage, name) => {
    // Prepare / Act / Assess
    expect(stateMachineName(stage)).toBe(name);
  });
});
