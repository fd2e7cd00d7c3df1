import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import {
  lambdaTransientErrors,
  rejectedError,
  remediationDefinition,
  type StepFunctionArns,
  throttlingErrors,
  transientErrors,
  workflowSteps,
} from "../../workflows/remediation.js";

const arns = Object.fromEntries(
  workflowSteps.map((step) => [step, `arn:aws:lambda:eu-west-1:111122223333:function:driftwarden-${step}`]),
) as StepFunctionArns;

type AnyState = Record<string, unknown> & {
  Type: string;
  Next?: string;
  Retry?: Array<{
    ErrorEquals: string[];
    MaxAttempts: number;
    BackoffRate: number;
    JitterStrategy?: string;
    MaxDelaySeconds?: number;
  }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
};

const definition = remediationDefinition(arns);
const states = definition.States as unknown as Record<string, AnyState>;
const tasks = Object.entries(states).filter(([, state]) => state.Type === "Task");

describe("remediation workflow definition", () => {
  it("is valid Amazon States Language (JSONPath) as deployed", () => {
    // Prepare / Act
    const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assess
    expect(errorsText("\n")).toBe("");
    expect(isValid).toBe(true);
  });

  it("waits for on-call for as long as the evaluation says, and passes the same value to the request step", () => {
    // Prepare / Act
    const request = definition.States.RequestApproval;

    // Assess: the local runner reads the payload's copy; both must name the same path
    expect(request.Resource).toBe("arn:aws:states:::lambda:invoke.waitForTaskToken");
    expect(request.TimeoutSecondsPath).toBe("$.evaluation.approval.timeoutSeconds");
    expect(request.Parameters.Payload["timeoutSeconds.$"]).toBe(request.TimeoutSecondsPath);
    expect(request.Parameters.Payload["taskToken.$"]).toBe("$$.Task.Token");
    expect("TimeoutSeconds" in request).toBe(false);
  });

  it.each(tasks.map(([name]) => [name]))(
    "%s retries throttling, server errors and a dead function with jittered backoff",
    (name) => {
      // Prepare
      const state = states[name] as AnyState;

      // Act
      const retried = new Set((state.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals));

      // Assess
      for (const error of [
        ...throttlingErrors,
        ...transientErrors,
        "Lambda.Unknown",
        "Lambda.ServiceException",
      ]) {
        expect(retried.has(error), `${name} retries ${error}`).toBe(true);
      }
      for (const retrier of state.Retry ?? []) {
        expect(retrier.BackoffRate).toBeGreaterThan(1);
        expect(retrier.JitterStrategy).toBe("FULL");
        expect(retrier.MaxAttempts).toBeGreaterThanOrEqual(6);
      }
    },
  );

  it("never lets a task's failure end the execution unrecorded", () => {
    // Prepare
    const recording = new Set(["Audit", "KeepUnrecorded", "NotifyUnrecorded", "KeepUndelivered"]);

    // Act / Assess: every task catches everything, and the catch leads to a recorded outcome
    for (const [name, state] of tasks) {
      const catchers = state.Catch ?? [];
      expect(catchers.at(-1)?.ErrorEquals, name).toEqual(["States.ALL"]);
      if (recording.has(name)) continue;
      for (const catcher of catchers) {
        const next = states[catcher.Next] as AnyState;
        expect(
          catcher.Next === "Reconcile" || catcher.Next.startsWith("Outcome") || next.Type === "Task",
          name,
        ).toBe(true);
      }
    }
  });

  it("reads the decision from the approvals table after the wait, whatever the task output says", () => {
    // Prepare
    const request = states.RequestApproval as AnyState;

    // Act
    const afterSuccess = request.Next;
    const afterRejection = request.Catch?.find((c) => c.ErrorEquals.includes(rejectedError))?.Next;

    // Assess
    expect(afterSuccess).toBe("EvaluateDecision");
    expect(afterRejection).toBe("EvaluateDecision");
    expect((states.EvaluateDecision as AnyState).Parameters).toMatchObject({ afterDecision: true });
  });

  it("re-reads the resource when the wait times out, and the request still expires when that read fails", () => {
    // Prepare
    const request = states.RequestApproval as AnyState;

    // Act
    const afterTimeout = request.Catch?.find((c) => c.ErrorEquals.includes("States.Timeout"))?.Next;
    const expiry = states[afterTimeout ?? ""] as AnyState;

    // Assess
    expect(afterTimeout).toBe("EvaluateExpiry");
    expect(expiry.Parameters).toMatchObject({ afterTimeout: true, "previous.$": "$.evaluation" });
    expect(expiry.Next).toBe("Route");
    expect(expiry.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [["States.ALL"], "OutcomeApprovalExpired"],
    ]);
  });

  it("passes at most 15 states on the automatic fix path", () => {
    // Prepare: follow the path a low-risk drift takes
    const path: string[] = [];
    let current: string | undefined = definition.StartAt;
    const choose: Record<string, string> = {
      Route: "Apply",
      Verified: "OutcomeFixed",
      ShouldNotify: "Notify",
    };

    // Act
    while (current) {
      path.push(current);
      const state = states[current] as AnyState;
      if (state.Type === "Succeed" || state.Type === "Fail") break;
      current = state.Type === "Choice" ? choose[current] : state.Next;
    }

    // Assess
    expect(path).toEqual([
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
    expect(path.length).toBeLessThanOrEqual(15);
  });

  it("treats a dead step function like any transient Lambda error", () => {
    // Prepare / Act / Assess
    expect(lambdaTransientErrors).toEqual(expect.arrayContaining(["Lambda.Unknown", "States.Timeout"]));
  });
});
