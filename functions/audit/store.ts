import { createHash } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor, Change } from "../controls/types.js";
import { dynamo } from "../lib/clients/dynamo.js";
import { stableJson } from "../lib/digest.js";
import { ConcurrentModificationError } from "../lib/errors.js";
import type { Owner } from "../lib/owner.js";
import { auditTable } from "../lib/tables.js";
import type { Outcome, TriggerSource } from "../workflow/types.js";

/**
 * The audit trail: an append-only, hash-chained ledger. Every record carries a
 * sequence number and the hash of its predecessor, so a record that was
 * changed, deleted or reordered breaks the chain where it happened (seals,
 * signed digests of the chain's end, make a cut-off tail detectable too).
 *
 * Appending needs no transaction (DynamoDB-compatible stand-ins have none):
 * the next sequence number is taken with a conditional put, and a lost race
 * just tries the next number. An idempotency marker per (execution, entry) makes
 * a retried step find its own record instead of appending a second one.
 *
 * Items, by `pk`: `seq#<12 digits>` records, `idem#<key>` markers, `head` (a
 * hint of the last sequence number, never trusted for verification), and the
 * seals of functions/audit/seal.ts (`seal#<12 digits>`, `sealhead`).
 *
 * The ledger holds what executions state (`AuditFacts`) and the changes made to
 * runtime exemptions from the CLI (`ExemptionFacts`) and the suspensions lifted
 * from it (`ResumeFacts`), in one chain.
 */
export type DecisionKind = "automatic" | "approved" | "rejected" | "expired" | "pending" | "none";

export interface Decision {
  kind: DecisionKind;
  by?: string;
  /** False when `by` is a name typed on the approval page (unverified); true for an IAM identity. */
  verified?: boolean;
  at?: string;
  reason?: string;
  /** Where a person decided: web (the approval page), cli, demo. */
  channel?: string;
}

/** What an execution states at one moment: an approval request (`awaiting-approval#<round>`) or its outcome. */
export interface AuditFacts {
  /** Absent on records written before ledger entries had kinds; an outcome either way. */
  kind?: "outcome";
  executionId: string;
  /** Short id quoted in notifications (the execution name). */
  auditId: string;
  /** `outcome`, or `awaiting-approval#<round>` for an approval request. */
  entry: string;
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
  /** Calls made (`made: true`) or proposed. */
  change: { made: boolean; calls: Change[]; proposed?: Change[] };
  decision: Decision;
  outcome: Outcome;
  error?: { name: string; message: string };
  /** Who owns the resource's configuration, and the fix at the source (when known). */
  owner?: Owner | null;
  notes?: string[];
  at: string;
}

/** A runtime exemption added or removed from the CLI, by a verified IAM identity. */
export interface ExemptionFacts {
  kind: "exemption";
  /** `exemption#<id>`: one CLI action, so a retried append finds its record. */
  executionId: string;
  auditId: string;
  entry: "exemption-added" | "exemption-removed";
  resource: string;
  /** A control id, or `*` for every control. */
  control: string;
  account: string;
  region: string;
  exemption: { reason: string; expires: string; by: string; createdAt: string };
  /** Who added or removed it: the caller's STS identity. */
  by: string;
  at: string;
}

/** A suspension lifted from the CLI (`driftwarden resume`), by a verified IAM identity. */
export interface ResumeFacts {
  kind: "resume";
  /** `resume#<id>`: one CLI action, so a retried append finds its record. */
  executionId: string;
  auditId: string;
  entry: "suspension-lifted";
  resource: string;
  control: string;
  account: string;
  region: string;
  /** What was suspended: the fixes that counted and who kept reverting them. */
  suspension: { fixes: number; since: string; changedBy: string[] };
  /** Who lifted it: the caller's STS identity. */
  by: string;
  at: string;
}

export type LedgerFacts = AuditFacts | ExemptionFacts | ResumeFacts;

/** What the chain adds to every entry. */
export interface Chain {
  seq: number;
  /** Hash of the record before this one (`genesis` for the first). */
  prevHash: string;
  /** SHA-256 over every other field, canonical JSON. */
  hash: string;
}

export type Chained<F extends LedgerFacts> = F & Chain;
export interface AuditRecord extends AuditFacts, Chain {}
export type LedgerRecord = Chained<LedgerFacts>;

export function isOutcomeRecord(record: LedgerRecord): record is AuditRecord {
  return record.kind === undefined || record.kind === "outcome";
}

export interface AuditStoreOptions {
  table: string;
  region: string;
}

export const genesisHash = "genesis";
const maxAppendAttempts = 50;

export function recordKey(seq: number): string {
  return `seq#${String(seq).padStart(12, "0")}`;
}

/** The hash a record must carry: over all its fields but `hash` (and the table's own key). */
export function hashOf(record: Omit<LedgerRecord, "hash"> & { hash?: string }): string {
  const { hash: _hash, ...content } = record as LedgerRecord & { pk?: string };
  delete (content as { pk?: string }).pk;
  return createHash("sha256").update(stableJson(content)).digest("hex");
}

const db = (options: AuditStoreOptions) => dynamo(options.region);

async function getItem<T>(options: AuditStoreOptions, pk: string): Promise<T | undefined> {
  const result = await db(options).send(
    new GetCommand({ TableName: options.table, Key: { pk }, ConsistentRead: true }),
  );
  return result.Item as T | undefined;
}

function strip(item: Record<string, unknown>): LedgerRecord {
  const { pk: _pk, ...record } = item;
  return record as unknown as LedgerRecord;
}

export async function readRecord(options: AuditStoreOptions, seq: number): Promise<LedgerRecord | undefined> {
  const item = await getItem<Record<string, unknown>>(options, recordKey(seq));
  return item ? strip(item) : undefined;
}

interface Marker {
  pk: string;
  /** The last sequence number when the append began: its record is after this one. */
  after: number;
  seq?: number;
}

/**
 * Appends once per (execution, entry): a retry of the same step, even one that
 * died after its put, returns the record already written.
 */
export async function appendAudit<F extends LedgerFacts>(
  options: AuditStoreOptions,
  facts: F,
): Promise<{ record: Chained<F>; written: boolean }> {
  const markerKey = `idem#${facts.executionId}#${facts.entry}`;
  const head = (await getItem<{ lastSeq?: number }>(options, "head"))?.lastSeq ?? 0;
  let marker = await getItem<Marker>(options, markerKey);
  if (marker?.seq !== undefined) {
    const existing = await readRecord(options, marker.seq);
    if (existing) return { record: existing as unknown as Chained<F>, written: false };
  }
  if (marker) {
    // A previous attempt died between its put and its marker: look for its record after where it began.
    const found = await findFrom(
      options,
      marker.after + 1,
      (r) => r.executionId === facts.executionId && r.entry === facts.entry,
    );
    if (found) {
      await finishMarker(options, markerKey, found.seq);
      return { record: found as unknown as Chained<F>, written: false };
    }
  } else {
    marker = { pk: markerKey, after: head };
    await db(options).send(new PutCommand({ TableName: options.table, Item: marker }));
  }

  let seq = await tailFrom(options, head);
  for (let attempt = 1; attempt <= maxAppendAttempts; attempt++) {
    const previous = seq === 0 ? undefined : await readRecord(options, seq);
    const next = seq + 1;
    const unsigned = { ...facts, seq: next, prevHash: previous?.hash ?? genesisHash };
    const record = { ...unsigned, hash: hashOf(unsigned) } as Chained<F>;
    try {
      await db(options).send(
        new PutCommand({
          TableName: options.table,
          Item: { pk: recordKey(next), ...record },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Someone appended `next` first: chain after theirs.
      seq = await tailFrom(options, next);
      continue;
    }
    await finishMarker(options, markerKey, next);
    await advanceHead(options, next);
    return { record, written: true };
  }
  throw new ConcurrentModificationError(
    `audit record of ${facts.executionId} (${facts.entry}) could not be appended after ${maxAppendAttempts} attempts: the ledger keeps moving`,
    facts.resource,
  );
}

/** The last sequence number in use (0 for an empty ledger). */
export async function ledgerTail(options: AuditStoreOptions): Promise<number> {
  const head = (await getItem<{ lastSeq?: number }>(options, "head"))?.lastSeq ?? 0;
  return tailFrom(options, head);
}

/** The last sequence number in use, probing forward from a hint (the head may lag behind). */
async function tailFrom(options: AuditStoreOptions, hint: number): Promise<number> {
  let seq = hint;
  while (await getItem(options, recordKey(seq + 1))) seq += 1;
  return seq;
}

async function findFrom(
  options: AuditStoreOptions,
  from: number,
  match: (record: LedgerRecord) => boolean,
): Promise<LedgerRecord | undefined> {
  for (let seq = from; ; seq++) {
    const record = await readRecord(options, seq);
    if (!record) return undefined;
    if (match(record)) return record;
  }
}

async function finishMarker(options: AuditStoreOptions, pk: string, seq: number): Promise<void> {
  await db(options).send(
    new UpdateCommand({
      TableName: options.table,
      Key: { pk },
      UpdateExpression: "SET #seq = :seq",
      ExpressionAttributeNames: { "#seq": "seq" },
      ExpressionAttributeValues: { ":seq": seq },
    }),
  );
}

/** Moves the head hint forward only (a slower appender never moves it back). */
async function advanceHead(options: AuditStoreOptions, seq: number): Promise<void> {
  try {
    await db(options).send(
      new UpdateCommand({
        TableName: options.table,
        Key: { pk: "head" },
        UpdateExpression: "SET lastSeq = :seq",
        ConditionExpression: "attribute_not_exists(lastSeq) OR lastSeq < :seq",
        ExpressionAttributeValues: { ":seq": seq },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** What executions stated, in sequence order (the local report). */
export async function listAudit(options: AuditStoreOptions): Promise<AuditRecord[]> {
  return (await listLedger(options)).filter(isOutcomeRecord);
}

/** Every record of the ledger in sequence order: outcomes and exemption changes (`audit list`). */
export async function listLedger(options: AuditStoreOptions): Promise<LedgerRecord[]> {
  const items: LedgerRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db(options).send(
      new ScanCommand({
        TableName: options.table,
        FilterExpression: "begins_with(pk, :records)",
        ExpressionAttributeValues: { ":records": "seq#" },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => strip(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.seq - b.seq);
}

/** Records about one resource, oldest first, from the resource index (history without a scan). */
export async function auditOfResource(
  options: AuditStoreOptions,
  resource: string,
  since?: string,
): Promise<LedgerRecord[]> {
  const items: LedgerRecord[] = [];
  let start: Record<string, unknown> | undefined;
  const index = auditTable.indexes[0];
  do {
    const page = await db(options).send(
      new QueryCommand({
        TableName: options.table,
        IndexName: index.name,
        KeyConditionExpression: since ? "#resource = :resource AND #at >= :since" : "#resource = :resource",
        ExpressionAttributeNames: { "#resource": index.hashKey, ...(since ? { "#at": index.rangeKey } : {}) },
        ExpressionAttributeValues: { ":resource": resource, ...(since ? { ":since": since } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => strip(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.seq - b.seq);
}

/** The latest record of each execution: what it says now (an approval request, then its outcome). */
export function latestPerExecution(records: AuditRecord[]): AuditRecord[] {
  const latest = new Map<string, AuditRecord>();
  for (const record of records) {
    const current = latest.get(record.executionId);
    if (!current || record.seq > current.seq) latest.set(record.executionId, record);
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}
