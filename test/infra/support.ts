import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DeploymentArns } from "../../infra/permissions.js";
import type { StepFunctionArns } from "../../workflows/remediation.js";
import { workflowSteps } from "../../workflows/remediation.js";

/** Deployed-shaped ARNs of a production stage in account 111122223333, home eu-west-1. */
export const account = "111122223333";
export const homeRegion = "eu-west-1";
export const remediatorArn = `arn:aws:iam::${account}:role/driftwarden-remediator`;

export const deployment: DeploymentArns = {
  partition: "aws",
  account,
  homeRegion,
  regions: ["eu-west-1", "us-west-2"],
  tables: {
    audit: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-AuditTableTable-abcdef`,
    approvals: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-ApprovalsTableTable-bcdefa`,
    history: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-FixHistoryTableTable-cdefab`,
    events: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-EventsTableTable-defabc`,
    exemptions: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-ExemptionsTableTable-efabcd`,
    outbox: `arn:aws:dynamodb:${homeRegion}:${account}:table/driftwarden-production-OutboxTableTable-fabcde`,
  },
  topicArn: `arn:aws:sns:${homeRegion}:${account}:driftwarden-production-AlertsTopic-efabcd`,
  stateMachineArn: `arn:aws:states:${homeRegion}:${account}:stateMachine:driftwarden-production-remediation`,
  keys: {
    approvalLinks: `arn:aws:kms:${homeRegion}:${account}:key/3c2b1a09-8f7e-4d6c-9b5a-4a39281706f5`,
    auditSeals: `arn:aws:kms:${homeRegion}:${account}:key/7d6c5b4a-3928-4170-a6f5-e4d3c2b1a098`,
  },
};

export const stepArns = Object.fromEntries(
  workflowSteps.map((step) => [
    step,
    `arn:aws:lambda:${homeRegion}:${account}:function:driftwarden-production-Workflow${step}Function-a1b2c3`,
  ]),
) as StepFunctionArns;

export type Json = Record<string, unknown>;

const fixtures = join(import.meta.dirname, "..", "fixtures", "events");

export function fixtureEvent(name: string): Json & { detail: Json } {
  return JSON.parse(readFileSync(join(fixtures, `${name}.json`), "utf8"));
}

/** A copy of a fixture with its detail changed by `change`. */
export function variant(name: string, change: (event: Json & { detail: Json }) => void): Json {
  const event = fixtureEvent(name);
  change(event);
  return event;
}
