import { listDistributionSummaries } from "../cloudfront/distribution.js";
import { distributionTargets, text } from "../cloudfront/targets.js";
import type { ControlContext, Trigger } from "../types.js";
import { metadata } from "./metadata.js";

/**
 * A response headers policy is shared: editing it (dropping HSTS, shortening
 * its max-age) changes the headers of every distribution whose behaviors use
 * it, without any distribution call. So an UpdateResponseHeadersPolicy
 * concerns each of those distributions, found in the ListDistributions
 * summaries, which name every behavior's policy.
 */
export async function resolveTargets(trigger: Trigger, ctx: ControlContext): Promise<string[]> {
  if (trigger.kind === "cloudtrail" && trigger.eventName === "UpdateResponseHeadersPolicy") {
    if (trigger.eventSource !== metadata.triggers.cloudTrail.eventSource) return [];
    const id = text(trigger.requestParameters?.id);
    if (!id) return [];
    const summaries = await listDistributionSummaries(ctx);
    return summaries
      .filter((summary) => summary.responseHeadersPolicyIds.includes(id))
      .map((summary) => summary.arn);
  }
  return distributionTargets(trigger, metadata);
}
