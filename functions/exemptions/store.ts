import { DeleteCommand, PutCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../lib/clients/dynamo.js";

/**
 * Runtime exemptions, as the CLI adds them and the workflow reads them: one
 * item per resource (or `*`, every resource) and control (or `*`, every
 * control) in the ExemptionsTable. Who added it is the caller's verified IAM
 * identity; every change is also a record in the audit ledger (cli/exemptions.ts).
 */
export interface RuntimeExemption {
  /** A resource ARN, or `*` for every resource. */
  resource: string;
  /** A control id, or `*` for every control. */
  control: string;
  reason: string;
  /** A date (through that whole day, UTC) or an instant. */
  expires: string;
  /** The IAM identity (STS GetCallerIdentity ARN) that added it. */
  by: string;
  createdAt: string;
}

export const ALL = "*";

export interface ExemptionStoreOptions {
  table: string;
  region: string;
}

const db = (options: ExemptionStoreOptions) => dynamo(options.region);

/** Adds an exemption, replacing one for the same resource and control; returns the one it replaced. */
export async function putExemption(
  options: ExemptionStoreOptions,
  exemption: RuntimeExemption,
): Promise<RuntimeExemption | undefined> {
  const result = await db(options).send(
    new PutCommand({ TableName: options.table, Item: exemption, ReturnValues: "ALL_OLD" }),
  );
  return result.Attributes as RuntimeExemption | undefined;
}

/** Removes the exemption of a resource and control; returns it, or undefined when there was none. */
export async function removeExemption(
  options: ExemptionStoreOptions,
  key: { resource: string; control: string },
): Promise<RuntimeExemption | undefined> {
  const result = await db(options).send(
    new DeleteCommand({ TableName: options.table, Key: key, ReturnValues: "ALL_OLD" }),
  );
  return result.Attributes as RuntimeExemption | undefined;
}

/** The exemptions stored under one resource key (an ARN, or `*`). */
export async function exemptionsOf(
  options: ExemptionStoreOptions,
  resource: string,
): Promise<RuntimeExemption[]> {
  const items: RuntimeExemption[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db(options).send(
      new QueryCommand({
        TableName: options.table,
        KeyConditionExpression: "#resource = :resource",
        ExpressionAttributeNames: { "#resource": "resource" },
        ExpressionAttributeValues: { ":resource": resource },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as RuntimeExemption[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The exemptions that name this resource (or every resource) and this control (or every control). */
export async function exemptionsFor(
  options: ExemptionStoreOptions,
  target: { resource: string; control: string },
): Promise<RuntimeExemption[]> {
  const keys = target.resource === ALL ? [ALL] : [target.resource, ALL];
  const found = (await Promise.all(keys.map((resource) => exemptionsOf(options, resource)))).flat();
  return found.filter((exemption) => exemption.control === ALL || exemption.control === target.control);
}

/** Every runtime exemption (the CLI's `exempt list`). */
export async function listExemptions(options: ExemptionStoreOptions): Promise<RuntimeExemption[]> {
  const items: RuntimeExemption[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db(options).send(
      new ScanCommand({ TableName: options.table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as RuntimeExemption[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => a.resource.localeCompare(b.resource) || a.control.localeCompare(b.control));
}
