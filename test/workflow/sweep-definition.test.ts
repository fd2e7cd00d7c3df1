import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { lambdaTransientErrors, throttlingErrors } from "../../workflows/remediation.js";
import { groupConcurrency, sweepDefinition } from "../../workflows/sweep.js";

const fn = "arn:aws:lambda:eu-west-1:111122223333:function:driftwarden-sweep";
const definition = sweepDefinition(fn);
type Task = {
  Resource: string;
  TimeoutSeconds: number;
  Retry: { ErrorEquals: string[] }[];
  Catch?: unknown[];
};

describe("sweep state machine definition", () => {
  it("is valid Amazon States Language (JSONPath) as deployed", () => {
    // Act
    const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assess
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it("fans out over the planned groups with bounded concurrency, one page per step, in a loop", () => {
    // Act
    const map = definition.States.Groups;
    const inner = map.ItemProcessor.States;

    // Assess
    expect(map.ItemsPath).toBe("$.plan.groups");
    expect(map.MaxConcurrency).toBe(groupConcurrency);
    expect(groupConcurrency).toBeGreaterThan(0);
    expect(inner.MorePages.Choices[0]?.Next).toBe("NextPage");
    expect(inner.NextPage.Next).toBe("Page");
    expect(inner.NextPage.Parameters["marker.$"]).toBe("$.page.next");
  });

  it.each([["Plan"], ["Page"]])(
    "%s invokes the sweep function within a timeout and retries throttling and a dead function",
    (name) => {
      // Prepare
      const state = (name === "Plan"
        ? definition.States.Plan
        : definition.States.Groups.ItemProcessor.States.Page) as unknown as Task;

      // Assess
      expect(state.Resource).toBe(fn);
      expect(state.TimeoutSeconds).toBeLessThanOrEqual(300);
      const retried = state.Retry.flatMap((r) => r.ErrorEquals);
      for (const error of [...throttlingErrors, ...lambdaTransientErrors]) expect(retried).toContain(error);
    },
  );

  it("ends only the group whose page keeps failing, and fails the execution so the alarm sees it", () => {
    // Act
    const page = definition.States.Groups.ItemProcessor.States.Page as unknown as {
      Catch: { ErrorEquals: string[]; Next: string }[];
    };

    // Assess
    expect(page.Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "GroupFailed" }]);
    expect(definition.States.AnyFailed.Choices[0]?.Next).toBe("SweepIncomplete");
    expect(definition.States.SweepIncomplete.Type).toBe("Fail");
  });
});
