import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { remediationDefinition, type StepFunctionArns, workflowSteps } from "../../workflows/remediation.js";

const arns = Object.fromEntries(
  workflowSteps.map((step) => [step, `arn:aws:lambda:eu-west-1:111122223333:function:driftwarden-${step}`]),
) as StepFunctionArns;

describe("remediation workflow definition", () => {
  it("is valid Amazon States Language (JSONPath) as deployed", () => {
    // Prepare
    const definition = remediationDefinition(arns, { approvalTimeoutSeconds: 86_400 });

    // Act
    const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assess
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it.each([
    ["PT24H default", 86_400],
    ["one hour", 3_600],
  ])("waits for on-call with TimeoutSeconds from configuration (%s)", (_label, seconds) => {
    // Prepare / Act
    const definition = remediationDefinition(arns, { approvalTimeoutSeconds: seconds });

    // Assess
    expect(definition.States.RequestApproval.Resource).toBe(
      "arn:aws:states:::lambda:invoke.waitForTaskToken",
    );
    expect(definition.States.RequestApproval.TimeoutSeconds).toBe(seconds);
    expect(definition.States.RequestApproval.Parameters.Payload["taskToken.$"]).toBe("$$.Task.Token");
  });

  it("retries apply on throttling with backoff and sends every failure to the failed outcome", () => {
    // Prepare / Act
    const definition = remediationDefinition(arns, { approvalTimeoutSeconds: 86_400 });
    const apply = definition.States.Apply as { Retry: { ErrorEquals: string[]; BackoffRate: number }[] };

    // Assess
    expect(apply.Retry[0]?.ErrorEquals).toContain("Throttling");
    expect(apply.Retry[0]?.BackoffRate).toBeGreaterThan(1);
    for (const [name, state] of Object.entries(definition.States) as [string, Record<string, unknown>][]) {
      if (state.Type !== "Task" || name === "Audit" || name === "Notify") continue;
      const catchers = state.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(catchers.at(-1), name).toEqual(
        expect.objectContaining({ ErrorEquals: ["States.ALL"], Next: "OutcomeFailed" }),
      );
    }
  });

  it("rejects an approval timeout that Step Functions cannot take", () => {
    expect(() => remediationDefinition(arns, { approvalTimeoutSeconds: 0 })).toThrow(
      /approvalTimeoutSeconds/,
    );
  });
});
