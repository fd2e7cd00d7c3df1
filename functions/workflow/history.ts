import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Clients } from "../lib/aws.js";
import type { DriftwardenConfig } from "../lib/config.js";
import { durationSeconds } from "../lib/duration.js";

/**
 * Fix history for flapping protection. One item per fixed execution, sorted
 * by `<time>#<execution>`: a retried audit step rewrites its own item instead
 * of adding a second, and two fixes in the same instant are two items.
 */
export interface HistoryDeps {
  clients: Pick<Clients, "dynamo">;
  table: string;
  region: string;
}

export interface FixHistoryEntry {
  resource: string;
  at: string;
  execution: string;
  control: string;
  actor: string | null;
  /** Who owns the resource's configuration (a stack, an environment), when known. */
  owner?: string | null;
}

function key(control: string, resource: string): string {
  return `${control}#${resource}`;
}

export async function recordFix(
  deps: HistoryDeps,
  fix: { control: string; resource: string; execution: string; actor: string | null; owner?: string | null },
  config: DriftwardenConfig,
  now: Date,
): Promise<void> {
  const keepSeconds = durationSeconds(config.flapping.window) * 2;
  await deps.clients.dynamo(deps.region).send(
    new PutCommand({
      TableName: deps.table,
      Item: {
        resource: key(fix.control, fix.resource),
        at: `${now.toISOString()}#${fix.execution}`,
        execution: fix.execution,
        control: fix.control,
        actor: fix.actor,
        owner: fix.owner ?? null,
        expiresAtEpoch: Math.floor(now.getTime() / 1000) + keepSeconds,
      },
    }),
  );
}

/** Fixes of this resource by this control within the flapping window, oldest first. */
export async function recentFixes(
  deps: HistoryDeps,
  target: { control: string; resource: string },
  config: DriftwardenConfig,
  now: Date,
): Promise<FixHistoryEntry[]> {
  const since = new Date(now.getTime() - durationSeconds(config.flapping.window) * 1000).toISOString();
  const items: FixHistoryEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.dynamo(deps.region).send(
      new QueryCommand({
        TableName: deps.table,
        KeyConditionExpression: "#resource = :resource AND #at >= :since",
        ExpressionAttributeNames: { "#resource": "resource", "#at": "at" },
        ExpressionAttributeValues: { ":resource": key(target.control, target.resource), ":since": since },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(
      ...((page.Items ?? []) as FixHistoryEntry[]).map((item) => ({
        ...item,
        at: item.at.split("#")[0] ?? "",
      })),
    );
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
