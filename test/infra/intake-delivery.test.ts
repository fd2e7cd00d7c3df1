import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import {
  asyncRetryDelaysSeconds,
  intakeAsyncInvoke,
  intakeDeadLetterAlarmName,
  intakeDeadLetterQueueName,
  intakeDestinationStatement,
} from "../../infra/intake-delivery.js";
import { policyDocument } from "../../infra/permissions.js";
import { account, homeRegion } from "./support.js";

const queueArn = `arn:aws:sqs:${homeRegion}:${account}:${intakeDeadLetterQueueName("production")}`;
const intakeRole = `arn:aws:iam::${account}:role/driftwarden-production-IntakeRole-abc123`;

async function decide(action: string, resource: string): Promise<string> {
  const simulation: Simulation = {
    identityPolicies: [{ name: "inline", policy: policyDocument([intakeDestinationStatement(queueArn)]) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: undefined,
    request: {
      action,
      principal: intakeRole,
      resource: { accountId: account, resource },
      contextVariables: {},
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error")
    throw new Error(`simulation failed: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

describe("intake's failed events", () => {
  it("are retried as often and for as long as Lambda allows", () => {
    // Prepare / Act
    const { maximumRetryAttempts, maximumEventAgeInSeconds } = intakeAsyncInvoke;

    // Assess: Lambda's ranges are 0-2 attempts and 60-21600 seconds
    expect(maximumRetryAttempts).toBe(2);
    expect(maximumEventAgeInSeconds).toBe(21_600);
    expect(asyncRetryDelaysSeconds).toHaveLength(maximumRetryAttempts);
  });

  it.each([
    ["production", intakeDeadLetterQueueName],
    ["a-rather-long-feature-branch-stage-name", intakeDeadLetterQueueName],
    ["production", intakeDeadLetterAlarmName],
  ])("are named validly for stage %s", (stage, name) => {
    // Act
    const queue = name(stage);

    // Assess: SQS queue names are at most 80 of [A-Za-z0-9_-]
    expect(queue).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(queue).toContain(stage);
  });

  it.each([
    ["sqs:SendMessage", queueArn, "Allowed"],
    ["sqs:SendMessage", `arn:aws:sqs:${homeRegion}:${account}:someone-elses-queue`, "ImplicitlyDenied"],
    ["sqs:ReceiveMessage", queueArn, "ImplicitlyDenied"],
  ])(
    "reach the on-failure queue through intake's own role: %s on %s -> %s",
    async (action, resource, expected) => {
      // Act
      const result = await decide(action, resource);

      // Assess
      expect(result).toBe(expected);
    },
  );
});
