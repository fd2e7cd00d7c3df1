import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor, Change } from "../controls/types.js";
import { clients } from "../lib/aws.js";
import type { Outcome, TriggerSource } from "../workflow/types.js";

export type DecisionKind = "automatic" | "approved" | "rejected" | "expired" | "pending" | "none";

export interface Decision {
  kind: DecisionKind;
  by?: string;
  at?: string;
  reason?: string;
}

/** One record per execution; its outcome moves only from awaiting-approval to a final outcome. */
export interface AuditRecord {
  executionId: string;
  /** Short id quoted in notifications (the execution name). */
  auditId: string;
  control: string;
  securityHubIds: string[];
  resource: string;
  account: string;
  region: string;
  trigger: TriggerSource;
  actor: Actor | null;
  eventId: string | null;
  /** The control's owned state when the workflow looked (before any change). */
  stateBefore: unknown;
  finding: string;
  /** Calls made (fixed/failed) or proposed (everything else). */
  change: { made: boolean; calls: Change[] };
  decision: Decision;
  outcome: Outcome;
  error?: { name: string; message: string };
  at: string;
}

export interface AuditStoreOptions {
  table: string;
  region: string;
}

/**
 * Writes are conditional so a retried step never produces a second record:
 * creation requires the record to be absent, and the only update allowed is
 * awaiting-approval -> final outcome.
 */
export async function writeAudit(
  options: AuditStoreOptions,
  record: AuditRecord,
): Promise<"written" | "exists"> {
  const db = clients.dynamo(options.region);
  try {
    if (record.outcome === "awaiting-approval") {
      await db.send(
        new PutCommand({
          TableName: options.table,
          Item: record,
          ConditionExpression: "attribute_not_exists(executionId)",
        }),
      );
      return "written";
    }
    await db.send(
      new PutCommand({
        TableName: options.table,
        Item: record,
        ConditionExpression: "attribute_not_exists(executionId) OR outcome = :awaiting",
        ExpressionAttributeValues: { ":awaiting": "awaiting-approval" },
      }),
    );
    return "written";
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // A retry of the same step finds its own record: that is success, not a second write.
    const existing = await readAudit(options, record.executionId);
    if (existing && existing.outcome === record.outcome) return "exists";
    if (existing?.outcome === "awaiting-approval" && record.outcome === "awaiting-approval") return "exists";
    throw error;
  }
}

export async function readAudit(
  options: AuditStoreOptions,
  executionId: string,
): Promise<AuditRecord | undefined> {
  const db = clients.dynamo(options.region);
  const result = await db.send(
    new GetCommand({ TableName: options.table, Key: { executionId }, ConsistentRead: true }),
  );
  return result.Item as AuditRecord | undefined;
}

/** Every record (for the local report and the CLI; a deployment would query by time instead). */
export async function listAudit(options: AuditStoreOptions): Promise<AuditRecord[]> {
  const db = clients.dynamo(options.region);
  const items: AuditRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: options.table, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as AuditRecord[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.executionId.localeCompare(b.executionId));
}
