import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Change } from "../controls/types.js";
import type { Clients } from "../lib/aws.js";

/**
 * The apply journal: before each call of a fix, an intent; after it, what was
 * really called. A retried or re-run apply reads it to tell calls made from
 * calls to make, and a crash between a call and its entry is resolved by
 * re-reading the resource (the control's `inEffect`). One item per execution
 * and apply round, in the EventsTable under `journal#`.
 */
export type JournalEntry =
  | { state: "intent"; at: string }
  | { state: "done"; at: string; made: Change | null };

export interface Journal {
  /** Entries by the call's position in the round's plan. */
  calls: Record<string, JournalEntry>;
}

export interface JournalDeps {
  clients: Pick<Clients, "dynamo">;
  table: string;
  region: string;
}

/** A week outlives any execution's apply and its retries; the item then expires. */
const keepSeconds = 7 * 86_400;

export function journalKey(executionName: string, round: number): string {
  return `journal#${executionName}#${round}`;
}

/** Each call's entry is a top-level attribute (`call0`, `call1`, ...): one update writes it, whatever came before. */
const attribute = (index: number) => `call${index}`;

export async function readJournal(deps: JournalDeps, pk: string): Promise<Journal | undefined> {
  const result = await deps.clients
    .dynamo(deps.region)
    .send(new GetCommand({ TableName: deps.table, Key: { pk }, ConsistentRead: true }));
  if (!result.Item) return undefined;
  const calls: Record<string, JournalEntry> = {};
  for (const [name, value] of Object.entries(result.Item)) {
    const index = /^call(\d+)$/.exec(name)?.[1];
    if (index !== undefined) calls[index] = value as JournalEntry;
  }
  return { calls };
}

export async function writeEntry(
  deps: JournalDeps,
  pk: string,
  index: number,
  entry: JournalEntry,
  now: Date,
): Promise<void> {
  await deps.clients.dynamo(deps.region).send(
    new UpdateCommand({
      TableName: deps.table,
      Key: { pk },
      UpdateExpression: "SET #call = :entry, expiresAt = :expires",
      ExpressionAttributeNames: { "#call": attribute(index) },
      ExpressionAttributeValues: {
        ":entry": entry,
        ":expires": Math.floor(now.getTime() / 1000) + keepSeconds,
      },
    }),
  );
}
