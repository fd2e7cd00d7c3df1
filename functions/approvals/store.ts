import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { rejectedError } from "../../workflows/remediation.js";
import type { Actor, Change } from "../controls/types.js";
import { clients } from "../lib/aws.js";
import { ApprovalError } from "../lib/errors.js";
import { approvalsTable } from "../lib/tables.js";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired";

/** What on-call is asked to decide. The task token stays here, server-side, never in a link. */
export interface ApprovalRecord {
  id: string;
  executionId: string;
  executionName: string;
  control: string;
  resource: string;
  account: string;
  region: string;
  actor: Actor | null;
  finding: string;
  reasons: string[];
  changes: Change[];
  planDigest: string;
  token: string;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  expiresAtEpoch: number;
  reminded?: boolean;
  remindedAt?: string;
  decidedBy?: string;
  /** true: decidedBy is the caller's AWS identity (CLI); false: a name typed on the page, unverified. */
  decidedByVerified?: boolean;
  decidedAt?: string;
  decidedVia?: { sourceIp?: string; userAgent?: string; channel: string };
  reason?: string;
}

export interface ApprovalStoreOptions {
  table: string;
  region: string;
}

/** Conditional: a retried request step finds its record and does not ask twice. */
export async function putApproval(
  options: ApprovalStoreOptions,
  record: ApprovalRecord,
): Promise<"written" | "exists"> {
  try {
    await clients.dynamo(options.region).send(
      new PutCommand({
        TableName: options.table,
        Item: record,
        ConditionExpression: "attribute_not_exists(id)",
      }),
    );
    return "written";
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return "exists";
    throw error;
  }
}

export async function getApproval(
  options: ApprovalStoreOptions,
  id: string,
): Promise<ApprovalRecord | undefined> {
  const result = await clients
    .dynamo(options.region)
    .send(new GetCommand({ TableName: options.table, Key: { id }, ConsistentRead: true }));
  return result.Item as ApprovalRecord | undefined;
}

export async function listApprovals(
  options: ApprovalStoreOptions,
  status: ApprovalStatus,
): Promise<ApprovalRecord[]> {
  const items: ApprovalRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.dynamo(options.region).send(
      new QueryCommand({
        TableName: options.table,
        IndexName: approvalsTable.indexes[0].name,
        KeyConditionExpression: "#status = :status",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": status },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as ApprovalRecord[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export interface DecisionInput {
  id: string;
  decision: "approved" | "rejected";
  by: string;
  /** Whether `by` was verified (an AWS identity) or only typed; shown with the name wherever it appears. */
  byVerified?: boolean;
  reason?: string;
  via: { channel: string; sourceIp?: string; userAgent?: string };
  now: Date;
}

/**
 * pending -> decided is one conditional update, so two people (or a replayed
 * link) cannot both decide; only the winner tells Step Functions.
 */
export async function decideApproval(
  options: ApprovalStoreOptions & { stateMachineRegion: string },
  input: DecisionInput,
): Promise<ApprovalRecord> {
  const existing = await getApproval(options, input.id);
  if (!existing) throw new ApprovalError(`approval ${input.id} does not exist`, input.id);
  if (existing.status !== "pending") {
    throw new ApprovalError(
      `approval ${input.id} for ${existing.resource} was already ${existing.status}${existing.decidedBy ? ` by ${existing.decidedBy}` : ""}`,
      existing.resource,
    );
  }
  if (Date.parse(existing.expiresAt) <= input.now.getTime()) {
    throw new ApprovalError(
      `approval ${input.id} for ${existing.resource} expired at ${existing.expiresAt}`,
      existing.resource,
    );
  }
  const decidedAt = input.now.toISOString();
  try {
    await clients.dynamo(options.region).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id: input.id },
        UpdateExpression: `SET #status = :decision, decidedBy = :by, decidedAt = :at, decidedVia = :via, reason = :reason${input.byVerified === undefined ? "" : ", decidedByVerified = :verified"}`,
        ConditionExpression: "#status = :pending AND expiresAt > :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":decision": input.decision,
          ":by": input.by,
          ":at": decidedAt,
          ":via": input.via,
          ":reason": input.reason ?? "",
          ":pending": "pending",
          ...(input.byVerified === undefined ? {} : { ":verified": input.byVerified }),
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ApprovalError(
        `approval ${input.id} for ${existing.resource} was decided by someone else first`,
        existing.resource,
      );
    }
    throw error;
  }
  const sfn = clients.sfn(options.stateMachineRegion);
  const result = {
    decision: input.decision,
    by: input.by,
    ...(input.byVerified === undefined ? {} : { byVerified: input.byVerified }),
    at: decidedAt,
    reason: input.reason ?? null,
  };
  if (input.decision === "approved") {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: existing.token, output: JSON.stringify(result) }));
  } else {
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: existing.token,
        error: rejectedError,
        cause: JSON.stringify(result),
      }),
    );
  }
  return {
    ...existing,
    status: input.decision,
    decidedBy: input.by,
    ...(input.byVerified === undefined ? {} : { decidedByVerified: input.byVerified }),
    decidedAt,
    reason: input.reason,
  };
}

/** The workflow gave up waiting: the record says so, and a late click is told "expired". */
export async function expireApproval(options: ApprovalStoreOptions, id: string): Promise<void> {
  try {
    await clients.dynamo(options.region).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET #status = :expired",
        ConditionExpression: "#status = :pending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":expired": "expired", ":pending": "pending" },
      }),
    );
  } catch (error) {
    // Already expired by a retried step, or decided in the last instant: the record keeps the truth.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Claims the one reminder of a pending approval: only the run whose update
 * wins sends it, however many reminder runs overlap.
 */
export async function claimReminder(options: ApprovalStoreOptions, id: string, at: Date): Promise<boolean> {
  try {
    await clients.dynamo(options.region).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET reminded = :true, remindedAt = :at",
        ConditionExpression: "#status = :pending AND attribute_not_exists(reminded)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":true": true, ":at": at.toISOString(), ":pending": "pending" },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Gives a claimed reminder back when it could not be sent, so the next run tries again. */
export async function releaseReminder(options: ApprovalStoreOptions, id: string): Promise<void> {
  await clients.dynamo(options.region).send(
    new UpdateCommand({
      TableName: options.table,
      Key: { id },
      UpdateExpression: "REMOVE reminded, remindedAt",
    }),
  );
}
