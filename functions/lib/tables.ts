/**
 * DynamoDB table shapes as data: infra creates them from this, and the local
 * runtime creates the same tables on its DynamoDB-compatible server.
 */
export interface TableShape {
  /** Logical name: the SST component name and the local table name. */
  name: "AuditTable" | "ApprovalsTable" | "FixHistoryTable" | "EventsTable";
  hashKey: string;
  rangeKey?: string;
  /** Attribute holding an epoch-seconds expiry, when the table uses TTL. */
  ttl?: string;
  indexes?: { name: string; hashKey: string; rangeKey: string }[];
}

export const auditTable = {
  name: "AuditTable",
  hashKey: "executionId",
} as const satisfies TableShape;

export const approvalsTable = {
  name: "ApprovalsTable",
  hashKey: "id",
  ttl: "expiresAtEpoch",
  // Lists what is waiting for on-call, oldest first, without a scan.
  indexes: [{ name: "byStatus", hashKey: "status", rangeKey: "createdAt" }],
} as const satisfies TableShape;

export const fixHistoryTable = {
  name: "FixHistoryTable",
  hashKey: "resource",
  rangeKey: "at",
  ttl: "expiresAtEpoch",
} as const satisfies TableShape;

export const eventsTable = {
  name: "EventsTable",
  hashKey: "pk",
  ttl: "expiresAt",
} as const satisfies TableShape;

export const tables: readonly TableShape[] = [auditTable, approvalsTable, fixHistoryTable, eventsTable];
