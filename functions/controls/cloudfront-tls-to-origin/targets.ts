import { listDistributionSummaries } from "../cloudfront/distribution.js";
import { distributionTargets, text } from "../cloudfront/targets.js";
import type { ControlContext, Trigger } from "../types.js";
import { metadata } from "./metadata.js";

/**
 * A VPC origin carries the protocol of the distributions that use it, but it is
 * judged as part of each of them: whether match-viewer is safe depends on the
 * distribution's cache behaviors, and scope, exemptions and owners are the
 * distribution's. So an UpdateVpcOrigin concerns every distribution whose
 * origins name that VPC origin (ListDistributions reports the origins).
 */
async function distributionsUsing(ctx: ControlContext, vpcOriginId: string): Promise<string[]> {
  const summaries = await listDistributionSummaries(ctx);
  return summaries
    .filter((summary) =>
      summary.origins.some((origin) => origin.VpcOriginConfig?.VpcOriginId === vpcOriginId),
    )
    .map((summary) => summary.arn);
}

export async function resolveTargets(trigger: Trigger, ctx: ControlContext): Promise<string[]> {
  if (trigger.kind === "cloudtrail" && trigger.eventName === "UpdateVpcOrigin") {
    if (trigger.eventSource !== metadata.triggers.cloudTrail.eventSource) return [];
    const id = text(trigger.requestParameters?.id);
    return id ? distributionsUsing(ctx, id) : [];
  }
  return distributionTargets(trigger, metadata);
}
