import { distributionId } from "../cloudfront/distribution.js";
import { checkUpdateOf, updateDistribution } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import { plannedWebAcl, updateChange } from "./planner.js";

/**
 * Sets only WebACLId in the configuration just read, under its ETag, and only
 * while it is still empty: a web ACL someone attached meanwhile is theirs.
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  checkUpdateOf(resource, change);
  const webAclArn = plannedWebAcl(change);
  if (!webAclArn) return null;
  return updateDistribution(ctx, resource, (config) => {
    if (config.WebACLId) return null;
    config.WebACLId = webAclArn;
    return { config, made: (ifMatch) => updateChange(distributionId(resource), webAclArn, ifMatch) };
  });
}
