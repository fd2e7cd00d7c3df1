import { setTimeout as nap } from "node:timers/promises";
import { type Action, ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { clients } from "../../functions/lib/aws.js";
import type { SandboxAccount } from "../../local/sandbox/account.js";
import type { Faults } from "../../local/sandbox/faults.js";
import { type Retrier, StateRetries } from "../../local/state-retries.js";
import { LocalStepFunctions } from "../../local/stepfunctions.js";
import { HTTP_LISTENER, plugged, redirectToHttps } from "../sandbox/helpers.js";

const fixArn = "arn:aws:lambda:us-west-2:111122223333:function:driftwarden-fix";
const stateMachineArn = "arn:aws:states:us-west-2:111122223333:stateMachine:driftwarden-test";

/** A one-task workflow: Fix retries a dead Lambda, then anything else goes to Failed. */
function definition(retry: Retrier) {
  return {
    StartAt: "Fix",
    States: {
      Fix: {
        Type: "Task",
        Resource: fixArn,
        Retry: [retry],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
      Failed: { Type: "Pass", End: true },
    },
  };
}

interface Run {
  status: string;
  output: unknown;
  attemptsAt: number[];
}

/** Runs the workflow whose Fix step changes the listener, under `faults`; returns when it has stopped. */
async function run(sandbox: SandboxAccount, retry: Retrier, faults: Partial<Faults>): Promise<Run> {
  sandbox.useFaults({ seed: 3, rules: [], crashAfter: [], ...faults });
  const attemptsAt: number[] = [];
  const start = sandbox.clock.now().getTime();
  const sfn = new LocalStepFunctions({
    stateMachineArn,
    definition: definition(retry),
    handlers: {
      [fixArn]: async () => {
        attemptsAt.push((sandbox.clock.now().getTime() - start) / 1000);
        await clients.elbv2("us-west-2").send(
          new ModifyListenerCommand({
            ListenerArn: HTTP_LISTENER,
            DefaultActions: [redirectToHttps as Action],
          }),
        );
        return { fixed: true };
      },
    },
    timers: sandbox.clock,
    retryWaits: { sleep: (ms) => sandbox.waits.sleep(ms), random: (key) => sandbox.draw(key) },
  });
  await sfn.handle("StartExecution", { stateMachineArn, name: "fix-1", input: "{}" });
  const execution = sfn.executions.get("fix-1");
  while (execution?.status === "RUNNING") await nap(1);
  return { status: execution?.status ?? "missing", output: execution?.output, attemptsAt };
}

describe("local Step Functions under faults", () => {
  it("sees a function that died after its change as Lambda.Unknown, and retries it after its intervals on the sandbox clock", async () => {
    // Prepare
    const sandbox = plugged();
    const retry = { ErrorEquals: ["Lambda.Unknown"], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 2 };

    // Act
    const result = await run(sandbox, retry, {
      crashAfter: [{ service: "elbv2", action: "ModifyListener", times: 2 }],
    });

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(result.attemptsAt).toEqual([0, 3, 9]);
    // Every attempt made its change before dying: the change stays made.
    expect(sandbox.mutations.map((m) => m.action)).toEqual([
      "ModifyListener",
      "ModifyListener",
      "ModifyListener",
    ]);
    expect(sandbox.faultsInjected.crash).toBe(2);
  });

  it("hands a death its retries could not outlive to the state's Catch, with a runtime exit as the cause", async () => {
    // Prepare
    const sandbox = plugged();
    const retry = { ErrorEquals: ["Lambda.Unknown"], IntervalSeconds: 1, MaxAttempts: 1 };

    // Act
    const result = await run(sandbox, retry, {
      crashAfter: [{ service: "elbv2", action: "ModifyListener", times: 5 }],
    });

    // Assess
    expect(result.status).toBe("SUCCEEDED");
    expect(result.attemptsAt).toEqual([0, 1]);
    expect(result.output).toMatchObject({
      error: { Error: "Lambda.Unknown", Cause: expect.stringContaining("Runtime.ExitError") },
    });
  });
});

describe("Retry intervals", () => {
  const failing = (retries: StateRetries, times: number, error = "Lambda.Unknown") => {
    const waits: number[] = [];
    for (let i = 0; i < times; i++) {
      waits.push(retries.owed("exec/Fix"));
      retries.failed("exec/Fix", "Fix", error);
    }
    waits.push(retries.owed("exec/Fix"));
    return waits.slice(1);
  };

  it.each([
    [{ IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }, 4, [2000, 4000, 8000, 0]],
    [{ IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 5 }, 4, [2000, 4000, 5000, 5000]],
    [{ MaxAttempts: 0 }, 1, [0]],
    [{}, 3, [1000, 2000, 4000]],
  ])("%j: after %i failures the attempts wait %j ms", (retrier, failures, expected) => {
    // Prepare
    const retries = new StateRetries(
      { Fix: { Type: "Task", Retry: [{ ErrorEquals: ["States.ALL"], ...retrier }] } },
      () => 0.5,
    );

    // Act
    const waits = failing(retries, failures);

    // Assess
    expect(waits).toEqual(expected);
  });

  it("takes the first retrier naming the error, and nothing once it is spent (no fall-through)", () => {
    // Prepare
    const retries = new StateRetries(
      {
        Fix: {
          Type: "Task",
          Retry: [
            { ErrorEquals: ["Throttling"], IntervalSeconds: 1, MaxAttempts: 1 },
            { ErrorEquals: ["States.ALL"], IntervalSeconds: 10, MaxAttempts: 5 },
          ],
        },
      },
      () => 0.5,
    );

    // Act
    const throttled = failing(retries, 2, "Throttling");
    const other = failing(retries, 1, "InternalFailure");

    // Assess
    expect(throttled).toEqual([1000, 0]);
    expect(other).toEqual([10_000]);
  });

  it("jitters FULL intervals from zero up to the interval", () => {
    // Prepare
    const draws = [0, 0.5, 0.99999];
    const retries = new StateRetries(
      {
        Fix: {
          Type: "Task",
          Retry: [
            {
              ErrorEquals: ["States.ALL"],
              IntervalSeconds: 4,
              BackoffRate: 1,
              MaxAttempts: 3,
              JitterStrategy: "FULL",
            },
          ],
        },
      },
      () => draws.shift() ?? 0,
    );

    // Act
    const waits = failing(retries, 3);

    // Assess
    expect(waits).toEqual([0, 2000, 4000]);
  });
});
