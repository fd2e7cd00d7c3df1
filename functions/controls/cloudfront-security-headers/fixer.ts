import { findBehavior } from "../cloudfront/behaviors.js";
import { distributionId } from "../cloudfront/distribution.js";
import { checkUpdateOf, updateDistribution } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import { pending, plannedBehaviors, plannedPolicyId, updateChange } from "./planner.js";

/**
 * Points the planned behaviors at the configured policy in the configuration
 * just read, under its ETag. A behavior whose policy changed since the plan
 * (someone attached another) is left alone: what was approved was replacing
 * the policy on-call saw.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  checkUpdateOf(resource, change);
  const policyId = plannedPolicyId(change);
  if (!policyId) return null;
  const planned = plannedBehaviors(change);
  return updateDistribution(ctx, resource, (config) => {
    const edits = pending(config, planned);
    if (edits.length === 0) return null;
    for (const edit of edits) {
      const behavior = findBehavior(config, edit);
      if (behavior) behavior.ResponseHeadersPolicyId = policyId;
    }
    return { config, made: (ifMatch) => updateChange(distributionId(resource), policyId, edits, ifMatch) };
  });
}
