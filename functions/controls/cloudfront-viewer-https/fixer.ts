import { distributionId } from "../cloudfront/distribution.js";
import { checkUpdateOf, updateDistribution } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import { applyEdits, planBehaviors, plannedBehaviors, updateChange } from "./planner.js";

/**
 * Sets redirect-to-https on the planned behaviors that still let plain HTTP
 * through in the configuration just read, under its ETag; every other field,
 * and every behavior the plan does not name, goes back exactly as read.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  checkUpdateOf(resource, change);
  const planned = new Set(plannedBehaviors(change).map((behavior) => behavior.pathPattern));
  return updateDistribution(ctx, resource, (config) => {
    const edits = planBehaviors(config).filter((behavior) => planned.has(behavior.pathPattern));
    if (edits.length === 0) return null;
    return {
      config: applyEdits(config, edits),
      made: (ifMatch) => updateChange(distributionId(resource), edits, ifMatch),
    };
  });
}
