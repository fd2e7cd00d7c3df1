import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { SendTaskFailureCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { rejectedError } from "../../workflows/remediation.js";
import type { Actor, Change } from "../controls/types.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { sfn } from "../lib/clients/sfn.js";
import { ApprovalDeliveryError, ApprovalError, errorName } from "../lib/errors.js";
import type { Owner } from "../lib/owner.js";
import { approvalsTable } from "../lib/tables.js";

/**
 * An approval request and its life:
 *
 *   pending --decide--> deciding --workflow received it--> approved | rejected
 *      |                   |  (delivery failed: back to pending, still decidable)
 *      |                   '--task had timed out--> expired
 *      '--timeout--> expired      '--plan changed--> superseded (also from pending)
 *      '--workflow ended before the email went out (SNS or KMS down past retries)--> undelivered
 *
 * A decision is final only once the workflow has received it: the record holds
 * it as `deciding` while SendTaskSuccess/SendTaskFailure is delivered, and the
 * workflow trusts this record, not the task output.
 */
export type ApprovalStatus =
  | "pending"
  | "deciding"
  | "approved"
  | "rejected"
  | "expired"
  | "superseded"
  | "undelivered";
export const approvalStatuses: readonly ApprovalStatus[] = [
  "pending",
  "deciding",
  "approved",
  "rejected",
  "expired",
  "superseded",
  "undelivered",
];

export type Decision = "approved" | "rejected";

/** What on-call is asked to decide. The task token stays here, server-side, never in a link. */
export interface ApprovalRecord {
  id: string;
  executionId: string;
  executionName: string;
  /** A new plan to ask about is a new round with a new id, token and email. */
  round: number;
  control: string;
  resource: string;
  account: string;
  region: string;
  actor: Actor | null;
  /** Who manages the resource (from its tags) or which tool changed it, when known. */
  owner?: Owner;
  finding: string;
  reasons: string[];
  /** The calls that wait for on-call (a safe part of the fix may already have been made). */
  changes: Change[];
  planDigest: string;
  token: string;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  expiresAtEpoch: number;
  /** When the request email went out (a retried request step does not send it twice). */
  notifiedAt?: string;
  reminded?: boolean;
  remindedAt?: string;
  /** The decision being delivered (`deciding`) or delivered (`approved`/`rejected`). */
  decision?: Decision;
  decidedBy?: string;
  /** True for an IAM identity (CLI); false for a name typed on the approval page. */
  decidedByVerified?: boolean;
  decidedAt?: string;
  decidedVia?: { sourceIp?: string; userAgent?: string; channel: string };
  reason?: string;
  supersededBy?: string;
}

export interface ApprovalStoreOptions {
  table: string;
  region: string;
}

const db = (options: ApprovalStoreOptions) => dynamo(options.region);

/** Conditional: a retried request step finds its record instead of asking twice. */
export async function putApproval(
  options: ApprovalStoreOptions,
  record: ApprovalRecord,
): Promise<"written" | "exists"> {
  try {
    await db(options).send(
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
  const result = await db(options).send(
    new GetCommand({ TableName: options.table, Key: { id }, ConsistentRead: true }),
  );
  return result.Item as ApprovalRecord | undefined;
}

export async function listApprovals(
  options: ApprovalStoreOptions,
  status: ApprovalStatus,
): Promise<ApprovalRecord[]> {
  const items: ApprovalRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db(options).send(
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

/**
 * A retried request step got a new task token: the old one is dead (its
 * attempt failed), so the record must answer with the new one.
 */
export async function refreshToken(
  options: ApprovalStoreOptions,
  id: string,
  token: string,
): Promise<ApprovalRecord | undefined> {
  try {
    const result = await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET #token = :token",
        ConditionExpression: "#status = :pending",
        ExpressionAttributeNames: { "#token": "token", "#status": "status" },
        ExpressionAttributeValues: { ":token": token, ":pending": "pending" },
        ReturnValues: "ALL_NEW",
      }),
    );
    return result.Attributes as ApprovalRecord | undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Records that the request email went out, so a retried step does not send it again. */
export async function markNotified(options: ApprovalStoreOptions, id: string, at: Date): Promise<boolean> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET notifiedAt = :at",
        ConditionExpression: "attribute_exists(id) AND attribute_not_exists(notifiedAt)",
        ExpressionAttributeValues: { ":at": at.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export interface DecisionInput {
  id: string;
  decision: Decision;
  by: string;
  /** True when `by` is an authenticated IAM identity; false for a name typed on a page. */
  verified: boolean;
  reason?: string;
  via: { channel: string; sourceIp?: string; userAgent?: string };
  now: Date;
}

/** How long a delivery may take before someone else may deliver the stored decision again. */
export const deliveryLeaseSeconds = 120;

/**
 * Decides a pending approval: one conditional update to `deciding` (so two
 * people, or a replayed link, cannot both decide), then delivery to the
 * workflow (the SDK retries it), then the final status. If delivery fails the
 * record goes back to pending and the error says the request is still open; if
 * the workflow's task had timed out, the record is expired and the error says so.
 */
export async function decideApproval(
  options: ApprovalStoreOptions & { stateMachineRegion: string },
  input: DecisionInput,
): Promise<ApprovalRecord> {
  const existing = await getApproval(options, input.id);
  if (!existing) throw new ApprovalError(`approval ${input.id} does not exist`, input.id);
  const decidedAt = input.now.toISOString();
  let claimed: ApprovalRecord;
  if (existing.status === "deciding" && leaseOver(existing, input.now)) {
    // The decider died while delivering: only that same decision may be delivered again.
    if (existing.decision !== input.decision) {
      throw new ApprovalError(
        `approval ${input.id} for ${existing.resource} was already ${existing.decision} by ${existing.decidedBy}; that decision is being delivered to the workflow`,
        existing.resource,
      );
    }
    claimed = existing;
  } else {
    refuseUndecidable(existing, input.now);
    claimed = await claim(options, existing, input, decidedAt);
  }
  try {
    await deliver(options, claimed);
  } catch (error) {
    const name = errorName(error);
    if (name === "TaskTimedOut" || name === "TaskDoesNotExist") {
      await settle(options, claimed, name === "TaskTimedOut" ? "expired" : (claimed.decision as Decision));
      if (name === "TaskTimedOut") {
        throw new ApprovalError(
          `approval ${input.id} for ${existing.resource} expired at ${existing.expiresAt}: the workflow stopped waiting; nothing was changed`,
          existing.resource,
        );
      }
      return { ...claimed, status: claimed.decision as Decision };
    }
    await release(options, claimed);
    throw new ApprovalDeliveryError(
      `approval ${input.id} for ${existing.resource}: the decision could not be delivered to the workflow (${name ?? "error"}: ${(error as Error).message}); it was not recorded and the request is still pending: decide again`,
      existing.resource,
      { cause: error },
    );
  }
  await settle(options, claimed, claimed.decision as Decision);
  return { ...claimed, status: claimed.decision as Decision };
}

function leaseOver(record: ApprovalRecord, now: Date): boolean {
  return Date.parse(record.decidedAt ?? "") + deliveryLeaseSeconds * 1000 <= now.getTime();
}

function refuseUndecidable(existing: ApprovalRecord, now: Date): void {
  if (existing.status === "deciding") {
    throw new ApprovalError(
      `approval ${existing.id} for ${existing.resource} is being decided by ${existing.decidedBy} (${existing.decision}) right now`,
      existing.resource,
    );
  }
  if (existing.status === "superseded") {
    throw new ApprovalError(
      `approval ${existing.id} for ${existing.resource} was superseded: the resource changed, so a new request with the new plan was sent${existing.supersededBy ? ` (${existing.supersededBy})` : ""}`,
      existing.resource,
    );
  }
  if (existing.status === "undelivered") {
    throw new ApprovalError(
      `approval ${existing.id} for ${existing.resource} was never sent to on-call: the workflow failed before the request went out, so it cannot be decided; nothing was changed`,
      existing.resource,
    );
  }
  if (existing.status !== "pending") {
    throw new ApprovalError(
      `approval ${existing.id} for ${existing.resource} was already ${existing.status}${existing.decidedBy ? ` by ${existing.decidedBy}` : ""}`,
      existing.resource,
    );
  }
  if (Date.parse(existing.expiresAt) <= now.getTime()) {
    throw new ApprovalError(
      `approval ${existing.id} for ${existing.resource} expired at ${existing.expiresAt}`,
      existing.resource,
    );
  }
}

async function claim(
  options: ApprovalStoreOptions,
  existing: ApprovalRecord,
  input: DecisionInput,
  decidedAt: string,
): Promise<ApprovalRecord> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id: input.id },
        UpdateExpression:
          "SET #status = :deciding, decision = :decision, decidedBy = :by, decidedByVerified = :verified, decidedAt = :at, decidedVia = :via, reason = :reason",
        ConditionExpression: "#status = :pending AND expiresAt > :at",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":deciding": "deciding",
          ":decision": input.decision,
          ":by": input.by,
          ":verified": input.verified,
          ":at": decidedAt,
          ":via": input.via,
          ":reason": input.reason ?? "",
          ":pending": "pending",
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
  return {
    ...existing,
    status: "deciding",
    decision: input.decision,
    decidedBy: input.by,
    decidedByVerified: input.verified,
    decidedAt,
    decidedVia: input.via,
    reason: input.reason ?? "",
  };
}

async function deliver(
  options: ApprovalStoreOptions & { stateMachineRegion: string },
  record: ApprovalRecord,
): Promise<void> {
  const workflows = sfn(options.stateMachineRegion);
  // The workflow reads the decision from this record; the output only names it.
  const output = JSON.stringify({ approvalId: record.id, decision: record.decision });
  if (record.decision === "approved") {
    await workflows.send(new SendTaskSuccessCommand({ taskToken: record.token, output }));
  } else {
    await workflows.send(
      new SendTaskFailureCommand({ taskToken: record.token, error: rejectedError, cause: output }),
    );
  }
}

/** deciding -> the final status, once the workflow has the decision (or can no longer take it). */
export async function settle(
  options: ApprovalStoreOptions,
  record: Pick<ApprovalRecord, "id">,
  status: Decision | "expired",
): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id: record.id },
        UpdateExpression: "SET #status = :final",
        ConditionExpression: "#status = :deciding",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":final": status, ":deciding": "deciding" },
      }),
    );
  } catch (error) {
    // Settled already (by the workflow's audit step, or a second delivery): the record keeps the truth.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Delivery failed: the decision was not taken, so the request is decidable again. */
async function release(options: ApprovalStoreOptions, record: ApprovalRecord): Promise<void> {
  await db(options).send(
    new UpdateCommand({
      TableName: options.table,
      Key: { id: record.id },
      UpdateExpression:
        "SET #status = :pending REMOVE decision, decidedBy, decidedByVerified, decidedAt, decidedVia, reason",
      ConditionExpression: "#status = :deciding AND decidedAt = :at",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":pending": "pending", ":deciding": "deciding", ":at": record.decidedAt },
    }),
  );
}

/** The workflow gave up waiting: the record says so, and a late click is told "expired". */
export async function expireApproval(options: ApprovalStoreOptions, id: string): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET #status = :expired",
        ConditionExpression: "#status IN (:pending, :deciding)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":expired": "expired", ":pending": "pending", ":deciding": "deciding" },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * The workflow ended before the request email went out (SNS or KMS failed past
 * every retry): nobody was asked, so the record is closed as undelivered, not
 * as expired ("nobody decided in time" would blame on-call for a request they
 * never received).
 */
export async function abandonUndelivered(options: ApprovalStoreOptions, id: string): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET #status = :undelivered",
        ConditionExpression: "#status = :pending AND attribute_not_exists(notifiedAt)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":undelivered": "undelivered", ":pending": "pending" },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** A newer plan was asked about: the old request can no longer be decided. */
export async function supersedeApproval(
  options: ApprovalStoreOptions,
  id: string,
  by: string,
): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { id },
        UpdateExpression: "SET #status = :superseded, supersededBy = :by",
        ConditionExpression: "#status IN (:pending, :deciding, :approved)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":superseded": "superseded",
          ":by": by,
          ":pending": "pending",
          ":deciding": "deciding",
          ":approved": "approved",
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * Claims the one reminder of a pending approval: only the run whose update
 * wins sends it, however many reminder runs overlap.
 */
export async function claimReminder(options: ApprovalStoreOptions, id: string, at: Date): Promise<boolean> {
  try {
    await db(options).send(
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
  await db(options).send(
    new UpdateCommand({
      TableName: options.table,
      Key: { id },
      UpdateExpression: "REMOVE reminded, remindedAt",
    }),
  );
}
