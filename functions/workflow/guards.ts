import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { clients } from "../lib/aws.js";
import type { DriftwardenConfig, Exemption } from "../lib/config.js";
import { durationSeconds } from "../lib/duration.js";
import type { WorkflowInput } from "./types.js";

function endOf(expires: string): number {
  // A bare date exempts through the whole of that day (UTC).
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

function matchesResource(pattern: string, resource: string): boolean {
  return pattern.endsWith("*") ? resource.startsWith(pattern.slice(0, -1)) : pattern === resource;
}

/**
 * The reason a resource is exempt right now, or undefined. Central-list
 * exemptions and the resource tag both carry an expiry; an expired one no
 * longer applies.
 */
export function activeExemption(
  config: DriftwardenConfig,
  input: Pick<WorkflowInput, "control" | "resource">,
  tags: Record<string, string>,
  now: Date,
): string | undefined {
  const listed = config.exemptions.find(
    (e: Exemption) =>
      matchesResource(e.resource, input.resource) &&
      (!e.control || e.control === input.control) &&
      endOf(e.expires) > now.getTime(),
  );
  if (listed) return `exempted until ${listed.expires}: ${listed.reason}`;
  const tag = tags[config.exemptionTag];
  if (tag !== undefined) {
    const fields = Object.fromEntries(
      tag.split(";").map((part) => {
        const [key, ...rest] = part.split("=");
        return [key?.trim().toLowerCase() ?? "", rest.join("=").trim()];
      }),
    );
    const until = fields.until;
    const applies =
      (!fields.control || fields.control === input.control) && until && endOf(until) > now.getTime();
    if (applies)
      return `exempted by tag ${config.exemptionTag} until ${until}: ${fields.reason || "no reason given"}`;
  }
  return undefined;
}

interface HistoryOptions {
  table: string;
  region: string;
}

export interface FixHistoryEntry {
  resource: string;
  at: string;
  control: string;
  actor: string | null;
}

export async function recordFix(
  options: HistoryOptions,
  input: WorkflowInput,
  config: DriftwardenConfig,
  now: Date,
): Promise<void> {
  const keepSeconds = durationSeconds(config.flapping.window) * 2;
  await clients.dynamo(options.region).send(
    new PutCommand({
      TableName: options.table,
      Item: {
        resource: `${input.control}#${input.resource}`,
        at: now.toISOString(),
        control: input.control,
        actor: input.actor?.arn ?? null,
        expiresAtEpoch: Math.floor(now.getTime() / 1000) + keepSeconds,
      },
    }),
  );
}

/** Fixes of this resource by this control within the flapping window, oldest first. */
export async function recentFixes(
  options: HistoryOptions,
  input: WorkflowInput,
  config: DriftwardenConfig,
  now: Date,
): Promise<FixHistoryEntry[]> {
  const since = new Date(now.getTime() - durationSeconds(config.flapping.window) * 1000).toISOString();
  const result = await clients.dynamo(options.region).send(
    new QueryCommand({
      TableName: options.table,
      KeyConditionExpression: "#resource = :resource AND #at >= :since",
      ExpressionAttributeNames: { "#resource": "resource", "#at": "at" },
      ExpressionAttributeValues: { ":resource": `${input.control}#${input.resource}`, ":since": since },
    }),
  );
  return (result.Items ?? []) as FixHistoryEntry[];
}
