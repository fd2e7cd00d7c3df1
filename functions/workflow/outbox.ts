import { DeleteCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditFacts } from "../audit/store.js";
import type { Clients } from "../lib/aws.js";
import type { Notification } from "../notify/message.js";

/**
 * Outcomes that could not be recorded or emailed when they happened (the audit
 * table or SNS kept failing past every retry). The workflow keeps them here,
 * fails its execution (which alarms), and the scheduled drain writes or sends
 * them once the service is back: an outcome is never lost, only late.
 */
export type OutboxItem =
  | { id: string; kind: "audit"; facts: AuditFacts; keptAt: string }
  | { id: string; kind: "notification"; notification: Notification; execution: string; keptAt: string };

export interface OutboxDeps {
  clients: Pick<Clients, "dynamo">;
  table: string;
  region: string;
}

export async function keep(deps: OutboxDeps, item: OutboxItem): Promise<void> {
  // Keyed by execution and kind: a retried step overwrites its own item with the same content.
  await deps.clients.dynamo(deps.region).send(new PutCommand({ TableName: deps.table, Item: item }));
}

export async function pending(deps: OutboxDeps): Promise<OutboxItem[]> {
  const items: OutboxItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients
      .dynamo(deps.region)
      .send(new ScanCommand({ TableName: deps.table, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as OutboxItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.keptAt.localeCompare(b.keptAt));
}

export async function done(deps: OutboxDeps, id: string): Promise<void> {
  await deps.clients.dynamo(deps.region).send(new DeleteCommand({ TableName: deps.table, Key: { id } }));
}

export interface DrainResult {
  written: string[];
  sent: string[];
  failed: string[];
}

/**
 * Writes and sends what the outbox holds, oldest first. An item leaves the
 * outbox only once its record is in the ledger or its email published; the
 * ledger's idempotency and the notification claim make a repeated drain
 * harmless.
 */
export async function drainOutbox(
  deps: OutboxDeps,
  sinks: {
    append: (facts: AuditFacts) => Promise<unknown>;
    publish: (key: string, notification: Notification) => Promise<unknown>;
  },
): Promise<DrainResult> {
  const result: DrainResult = { written: [], sent: [], failed: [] };
  for (const item of await pending(deps)) {
    try {
      if (item.kind === "audit") {
        await sinks.append(item.facts);
        result.written.push(item.id);
      } else {
        await sinks.publish(`${item.execution}#outbox`, item.notification);
        result.sent.push(item.id);
      }
      await done(deps, item.id);
    } catch (error) {
      result.failed.push(`${item.id}: ${(error as Error).message}`);
    }
  }
  return result;
}
