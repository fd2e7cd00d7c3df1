import { DeleteCommand, PutCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Clients } from "../lib/aws.js";
import type { DriftwardenConfig } from "../lib/config.js";
import { durationSeconds } from "../lib/duration.js";

/**
 * Fix history for flapping protection. One item per fixed execution, sorted
 * by `<time>#<execution>`: a retried audit step rewrites its own item instead
 * of adding a second, and two fixes in the same instant are two items.
 *
 * A resource is suspended while `flapping.maxFixes` fixes fall within
 * `flapping.window`; the suspension ends on its own when the oldest of them
 * leaves the window. `driftwarden resume` lifts it sooner with a resume marker
 * (`<time>#resume`) in the same partition: fixes before the latest marker no
 * longer count, so the next drift is fixed again (and a resource that keeps
 * drifting back is suspended again after maxFixes more fixes).
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

/** Written by `driftwarden resume`: who lifted the suspension, and when. */
export interface ResumeMarker {
  resource: string;
  at: string;
  control: string;
  by: string;
}

export interface Suspension {
  control: string;
  resource: string;
  /** The fixes that count, oldest first. */
  fixes: FixHistoryEntry[];
  /** Who keeps reverting the fix: the owner (stack, environment) as the identity CloudTrail shows. */
  changedBy: string[];
}

const RESUME = "resume";

function key(control: string, resource: string): string {
  return `${control}#${resource}`;
}

/** Control ids hold no `#`; resource ARNs may. */
function unkey(value: string): { control: string; resource: string } {
  const split = value.indexOf("#");
  return { control: value.slice(0, split), resource: value.slice(split + 1) };
}

interface Item {
  resource: string;
  at: string;
  kind?: typeof RESUME;
  [field: string]: unknown;
}

/** The fixes after the latest resume marker, with their times (items come sorted by `at`). */
function countingFixes(items: Item[]): FixHistoryEntry[] {
  const lastResume = items.findLastIndex((item) => item.kind === RESUME);
  return (items.slice(lastResume + 1) as unknown as FixHistoryEntry[]).map((item) => ({
    ...item,
    at: item.at.split("#")[0] ?? "",
  }));
}

/** Who keeps reverting the fix, each once: the owner is what to fix, the identity what CloudTrail shows. */
export function revertedBy(fixes: FixHistoryEntry[]): string[] {
  return [
    ...new Set(
      fixes.map((fix) =>
        fix.owner ? `${fix.owner}${fix.actor ? ` as ${fix.actor}` : ""}` : (fix.actor ?? "unknown"),
      ),
    ),
  ];
}

/** Pure: whether these counting fixes suspend automatic fixing. */
export function suspensionOf(
  target: { control: string; resource: string },
  fixes: FixHistoryEntry[],
  config: DriftwardenConfig,
): Suspension | undefined {
  if (fixes.length < config.flapping.maxFixes) return undefined;
  return { ...target, fixes, changedBy: revertedBy(fixes) };
}

function windowStart(config: DriftwardenConfig, now: Date): string {
  return new Date(now.getTime() - durationSeconds(config.flapping.window) * 1000).toISOString();
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

/**
 * Fixes of this resource by this control within the flapping window and after
 * the latest resume, oldest first.
 */
export async function recentFixes(
  deps: HistoryDeps,
  target: { control: string; resource: string },
  config: DriftwardenConfig,
  now: Date,
): Promise<FixHistoryEntry[]> {
  const since = windowStart(config, now);
  const items: Item[] = [];
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
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return countingFixes(items);
}

/**
 * Every suspended resource (`driftwarden status`): one scan of the window,
 * judged per resource exactly as the evaluate step judges one.
 */
export async function suspendedResources(
  deps: HistoryDeps,
  config: DriftwardenConfig,
  now: Date,
): Promise<Suspension[]> {
  const byResource = new Map<string, Item[]>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.dynamo(deps.region).send(
      new ScanCommand({
        TableName: deps.table,
        FilterExpression: "#at >= :since",
        ExpressionAttributeNames: { "#at": "at" },
        ExpressionAttributeValues: { ":since": windowStart(config, now) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as Item[]) {
      byResource.set(item.resource, [...(byResource.get(item.resource) ?? []), item]);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return [...byResource.entries()]
    .flatMap(([partition, items]) => {
      const sorted = items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const suspension = suspensionOf(unkey(partition), countingFixes(sorted), config);
      return suspension ? [suspension] : [];
    })
    .sort((a, b) => a.control.localeCompare(b.control) || a.resource.localeCompare(b.resource));
}

/**
 * Lifts a suspension: fixes made before `now` stop counting. Kept as long as
 * fix items are (twice the window), after which the fixes it hides are gone too.
 */
export async function recordResume(
  deps: HistoryDeps,
  resume: { control: string; resource: string; by: string },
  config: DriftwardenConfig,
  now: Date,
): Promise<ResumeMarker> {
  const marker = {
    resource: key(resume.control, resume.resource),
    at: `${now.toISOString()}#${RESUME}`,
    kind: RESUME,
    control: resume.control,
    by: resume.by,
    expiresAtEpoch: Math.floor(now.getTime() / 1000) + durationSeconds(config.flapping.window) * 2,
  };
  await deps.clients.dynamo(deps.region).send(new PutCommand({ TableName: deps.table, Item: marker }));
  return { resource: resume.resource, at: now.toISOString(), control: resume.control, by: resume.by };
}

/** Takes a resume marker back (its audit record could not be written: a silent resume must not stand). */
export async function removeResume(deps: HistoryDeps, marker: ResumeMarker): Promise<void> {
  await deps.clients.dynamo(deps.region).send(
    new DeleteCommand({
      TableName: deps.table,
      Key: { resource: key(marker.control, marker.resource), at: `${marker.at}#${RESUME}` },
    }),
  );
}
