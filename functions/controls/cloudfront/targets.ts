import type { ControlMetadata, Trigger } from "../types.js";
import { distributionArn } from "./distribution.js";

/**
 * Which distribution a CloudFront event, Config item or Config result is
 * about. Calls that change a distribution name it in their request; calls
 * that create one only in their response.
 */
const idInRequest = new Set([
  "UpdateDistribution",
  "UpdateDistributionWithStagingConfig",
  // CloudFront's own web ACL calls (WAFv2's AssociateWebACL is for regional resources only).
  "AssociateDistributionWebACL",
  "DisassociateDistributionWebACL",
]);
const idInResponse = new Set(["CreateDistribution", "CreateDistributionWithTags", "CopyDistribution"]);

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function idFromResponse(response: Record<string, unknown> | null): string | undefined {
  if (!response) return undefined;
  const distribution = record(response.distribution);
  const fromDistribution = text(distribution?.id) ?? text(distribution?.aRN)?.split("/").at(-1);
  if (fromDistribution) return fromDistribution;
  const direct = text(response.id);
  if (direct) return direct;
  // location: https://cloudfront.amazonaws.com/2020-05-31/distribution/<id>
  const location = text(response.location);
  const last = location?.split("/").filter(Boolean).at(-1);
  return last && /^[A-Z0-9]+$/.test(last) ? last : undefined;
}

/** The distributions an event concerns for a control with this metadata; [] when none. */
export function distributionTargets(trigger: Trigger, metadata: ControlMetadata): string[] {
  if (trigger.kind === "cloudtrail") {
    if (trigger.eventSource !== metadata.triggers.cloudTrail.eventSource) return [];
    let id: string | undefined;
    // CloudTrail drops request parameters it finds too large (a big DistributionConfig); the
    // response still names the distribution, so an update falls back on it.
    if (idInRequest.has(trigger.eventName)) {
      id = text(trigger.requestParameters?.id) ?? idFromResponse(trigger.responseElements);
    } else if (idInResponse.has(trigger.eventName)) id = idFromResponse(trigger.responseElements);
    return id && /^[A-Z0-9]+$/.test(id) ? [distributionArn(trigger.account, id)] : [];
  }
  if (trigger.kind === "config-item") {
    if (!metadata.triggers.config.resourceTypes.includes(trigger.resourceType)) return [];
    if (trigger.arn) return [trigger.arn];
    return trigger.resourceId ? [distributionArn(trigger.account, trigger.resourceId)] : [];
  }
  // Config evaluates distributions by id (ARN in some rules); intake already matched the rule name.
  if (!metadata.triggers.config.resourceTypes.includes(trigger.resourceType)) return [];
  const id = trigger.resourceId.startsWith("arn:")
    ? trigger.resourceId.split("/").at(-1)
    : trigger.resourceId;
  return id ? [distributionArn(trigger.account, id)] : [];
}
