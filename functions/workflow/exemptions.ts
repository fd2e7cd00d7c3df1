import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { exemptionsFor, type RuntimeExemption } from "../exemptions/store.js";
import type { Clients } from "../lib/aws.js";
import type { DriftwardenConfig, Exemption } from "../lib/config.js";
import { digest } from "../lib/digest.js";
import { durationSeconds } from "../lib/duration.js";

/**
 * The three kinds of exemption (DESIGN.md "Modes, exemptions, approval"): the
 * central list in the configuration, runtime exemptions added from the CLI,
 * and a tag on the resource. Each has an expiry and a reason; an expired one
 * no longer applies. A tag can be written by whoever can tag the resource, so
 * it lasts at most `maxTagExemption` from the moment driftwarden first sees it,
 * and on-call hears of it once, when it starts to apply.
 */
export type ExemptionKind = "central" | "runtime" | "tag";

export interface ActiveExemption {
  kind: ExemptionKind;
  /** Why, as written by whoever exempted it (untrusted for tags). */
  reason: string;
  /** When it stops applying (ISO). */
  until: string;
  /** Who: the IAM identity of a runtime exemption, the tag key of a tag exemption. */
  by?: string;
  /** The first execution to see this tag exemption tells on-call; the others stay quiet. */
  announce: boolean;
}

export interface ExemptionVerdict {
  active?: ActiveExemption;
  /** Exemptions that exist but no longer apply, or tags that are not exemptions: on-call is told. */
  notes: string[];
}

export type { RuntimeExemption } from "../exemptions/store.js";

export interface ExemptionDeps {
  clients: Pick<Clients, "dynamo">;
  region: string;
  exemptionsTable: string;
  eventsTable: string;
  config: DriftwardenConfig;
  now: Date;
  executionName: string;
}

/** End of an expiry: a bare date exempts through the whole of that day (UTC). */
export function expiryInstant(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

function matchesResource(pattern: string, resource: string): boolean {
  return pattern.endsWith("*") ? resource.startsWith(pattern.slice(0, -1)) : pattern === resource;
}

/** Untrusted text (a tag value) as on-call may read it: one line, bounded, quoted. */
function quoted(text: string, max = 200): string {
  const line = text.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

export function centralExemption(
  config: DriftwardenConfig,
  target: { control: string; resource: string },
  now: Date,
): { active?: Exemption; expired?: Exemption } {
  const matching = config.exemptions.filter(
    (e) => matchesResource(e.resource, target.resource) && (!e.control || e.control === target.control),
  );
  const active = matching.find((e) => expiryInstant(e.expires) > now.getTime());
  return active ? { active } : { expired: matching[0] };
}

export interface TagExemption {
  key: string;
  until: string;
  reason: string;
}

/** `<YYYY-MM-DD> <reason>`; anything else is not an exemption (the reason why is returned). */
export function parseTagExemption(key: string, value: string): TagExemption | { invalid: string } {
  const match = /^(\d{4}-\d{2}-\d{2})\s+(\S.*)$/s.exec(value.trim());
  const date = match?.[1];
  if (!match || !date || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    return {
      invalid: `tag ${key} has the value ${quoted(value)}, which is not "<YYYY-MM-DD> <reason>": it exempts nothing`,
    };
  }
  return { key, until: new Date(expiryInstant(date)).toISOString(), reason: (match[2] ?? "").trim() };
}

/** The tags that exempt this control, most specific first (`<key>:<control>` before `<key>`). */
export function exemptionTags(
  tags: Record<string, string>,
  tagKey: string,
  control: string,
): Array<{ key: string; value: string }> {
  return [`${tagKey}:${control}`, tagKey]
    .filter((key) => tags[key] !== undefined)
    .map((key) => ({ key, value: tags[key] as string }));
}

export async function exemptionFor(
  deps: ExemptionDeps,
  target: { control: string; resource: string },
  tags: Record<string, string>,
): Promise<ExemptionVerdict> {
  const notes: string[] = [];
  const now = deps.now;

  const central = centralExemption(deps.config, target, now);
  if (central.active) {
    return {
      active: {
        kind: "central",
        reason: central.active.reason,
        until: new Date(expiryInstant(central.active.expires)).toISOString(),
        announce: false,
      },
      notes,
    };
  }

  const runtime = await runtimeExemptions(deps, target);
  const liveRuntime = runtime.find((e) => expiryInstant(e.expires) > now.getTime());
  if (liveRuntime) {
    return {
      active: {
        kind: "runtime",
        reason: liveRuntime.reason,
        until: new Date(expiryInstant(liveRuntime.expires)).toISOString(),
        by: liveRuntime.by,
        announce: false,
      },
      notes,
    };
  }

  for (const { key, value } of exemptionTags(tags, deps.config.exemptionTag, target.control)) {
    const parsed = parseTagExemption(key, value);
    if ("invalid" in parsed) {
      notes.push(parsed.invalid);
      continue;
    }
    if (Date.parse(parsed.until) <= now.getTime()) {
      // Not a sighting: an exemption that never applied must not start the cap (or use up the
      // announcement) of one written later.
      notes.push(
        `tag ${key} (${quoted(parsed.reason)}) no longer exempts this resource: it expired on ${parsed.until.slice(0, 10)}`,
      );
      continue;
    }
    const sighting = await sightTag(deps, target);
    const until = Math.min(
      Date.parse(parsed.until),
      Date.parse(sighting.firstSeen) + durationSeconds(deps.config.maxTagExemption) * 1000,
    );
    if (until > now.getTime()) {
      return {
        active: {
          kind: "tag",
          reason: parsed.reason,
          until: new Date(until).toISOString(),
          by: key,
          announce: sighting.announcedBy === deps.executionName,
        },
        notes,
      };
    }
    notes.push(
      `tag ${key} (${quoted(parsed.reason)}) no longer exempts this resource: tag exemptions last at most ${deps.config.maxTagExemption} from first sight (${sighting.firstSeen})`,
    );
  }
  if (central.expired) {
    notes.push(
      `the central exemption of ${central.expired.resource} (${quoted(central.expired.reason)}) expired on ${central.expired.expires}`,
    );
  }
  for (const lapsed of runtime) {
    notes.push(
      `the runtime exemption added by ${lapsed.by} (${quoted(lapsed.reason)}) expired on ${lapsed.expires}`,
    );
  }
  return { notes };
}

async function runtimeExemptions(
  deps: ExemptionDeps,
  target: { control: string; resource: string },
): Promise<RuntimeExemption[]> {
  const found = await exemptionsFor({ table: deps.exemptionsTable, region: deps.region }, target);
  return found.sort((a, b) => expiryInstant(b.expires) - expiryInstant(a.expires));
}

/**
 * Records when a tag first exempted this control on this resource, in one
 * idempotent update: the first execution to record it is the one that
 * announces it (a retried step of that execution announces too; nobody else
 * does). The sighting belongs to the (resource, control), not to the tag's
 * key or value: whoever can tag the resource could otherwise renew the cap at
 * will by rewriting the reason or moving it between `<tag>` and
 * `<tag>:<control>`. Every sighting pushes the item's expiry out, so a tag that
 * stays on the resource is never seen for the first time again once DynamoDB's
 * TTL would otherwise have removed the item.
 */
async function sightTag(
  deps: ExemptionDeps,
  target: { control: string; resource: string },
): Promise<{ firstSeen: string; announcedBy: string }> {
  const keepSeconds = durationSeconds(deps.config.maxTagExemption) + 30 * 86_400;
  const result = await deps.clients.dynamo(deps.region).send(
    new UpdateCommand({
      TableName: deps.eventsTable,
      Key: { pk: `tagseen#${digest({ resource: target.resource, control: target.control }, 32)}` },
      UpdateExpression:
        "SET firstSeen = if_not_exists(firstSeen, :now), announcedBy = if_not_exists(announcedBy, :execution), expiresAt = :expires",
      ExpressionAttributeValues: {
        ":now": deps.now.toISOString(),
        ":execution": deps.executionName,
        ":expires": Math.floor(deps.now.getTime() / 1000) + keepSeconds,
      },
      ReturnValues: "ALL_NEW",
    }),
  );
  const item = (result.Attributes ?? {}) as { firstSeen?: string; announcedBy?: string };
  return {
    firstSeen: item.firstSeen ?? deps.now.toISOString(),
    announcedBy: item.announcedBy ?? deps.executionName,
  };
}
