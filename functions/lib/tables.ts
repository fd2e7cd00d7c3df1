/**
 * DynamoDB table shapes as data: infra creates them from this, and the local
 * runtime creates the same tables on its DynamoDB-compatible server.
 */
export interface TableShape {
  /** Logical name: the SST component name and the local table name. */
  name:
    | "AuditTable"
    | "ApprovalsTable"
    | "FixHistoryTable"
    | "EventsTable"
    | "ExemptionsTable"
    | "OutboxTable";
  hashKey: string;
  rangeKey?: string;
  /** Attribute holding an epoch-seconds expiry, when the table uses TTL. */
  ttl?: string;
  indexes?: { name: string; hashKey: string; rangeKey: string }[];
}

/**
 * The hash-chained audit ledger (functions/audit/store.ts): records, idempotency
 * markers, the head hint and seals, by a prefixed `pk`. Records are also indexed
 * by resource and time, for history without a scan.
 */
export const auditTable = {
  name: "AuditTable",
  hashKey: "pk",
  indexes: [{ name: "byResource", hashKey: "resource", rangeKey: "at" }],
} as const satisfies TableShape;

export const approvalsTable = {
  name: "ApprovalsTable",
  hashKey: "id",
  ttl: "expiresAtEpoch",
  // Lists what is waiting for on-call, oldest first, without a scan.
  indexes: [{ name: "byStatus", hashKey: "status", rangeKey: "createdAt" }],
} as const satisfies TableShape;

/** One item per fix: `<control>#<resource>`, sorted by `<time>#<execution>` so same-instant fixes all count. */
export const fixHistoryTable = {
  name: "FixHistoryTable",
  hashKey: "resource",
  rangeKey: "at",
  ttl: "expiresAtEpoch",
} as const satisfies TableShape;

/**
 * Short-lived bookkeeping keyed by a prefixed `pk`: event seen-markers
 * (`event#`), the apply journal (`journal#`), notification claims (`notified#`),
 * first sightings of exemption tags (`tagseen#`). Prefixes let IAM give each
 * function only its own items (dynamodb:LeadingKeys).
 */
export const eventsTable = {
  name: "EventsTable",
  hashKey: "pk",
  ttl: "expiresAt",
} as const satisfies TableShape;

/** Outcomes that could not be recorded or notified when they happened; the scheduled drain retries them. */
export const outboxTable = {
  name: "OutboxTable",
  hashKey: "id",
} as const satisfies TableShape;

/** Runtime exemptions added from the CLI: one item per resource (or ARN prefix) and control (`*` for all). */
export const exemptionsTable = {
  name: "ExemptionsTable",
  hashKey: "resource",
  rangeKey: "control",
} as const satisfies TableShape;

export const tables: readonly TableShape[] = [
  auditTable,
  approvalsTable,
  fixHistoryTable,
  eventsTable,
  exemptionsTable,
  outboxTable,
];
