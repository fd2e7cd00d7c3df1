import { FixFailedError } from "../../lib/errors.js";
import { distributionId } from "../cloudfront/distribution.js";
import { checkUpdateOf, updateDistribution } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import { applyEdits, plannedOrigins, plannedVpcOrigin, planOrigins, updateChange } from "./planner.js";
import { updateVpcOrigin } from "./vpc-fixer.js";

/**
 * Writes the fix with optimistic concurrency (see cloudfront/update.ts): the
 * configuration sent back is the one just read under its ETag, with only the
 * owned fields of the offending origins changed.
 *
 * Only origins the plan names are touched: the plan is what was probed (and
 * perhaps approved); an origin that started offending since gets its own event
 * and its own risk assessment, and one that was re-pointed at another host or
 * port since is not changed at all (the fix fails, nothing is written).
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  const vpcOrigin = plannedVpcOrigin(change);
  if (vpcOrigin) return updateVpcOrigin(ctx, resource, vpcOrigin);
  checkUpdateOf(resource, change);
  const id = distributionId(resource);
  const planned = new Map(plannedOrigins(change).map((origin) => [origin.originId, origin]));

  return updateDistribution(ctx, resource, (config) => {
    const edits = planOrigins(config).filter((origin) => planned.has(origin.originId));
    if (edits.length === 0) return null;
    // The risk assessment probed (and on-call perhaps approved) each origin at its host and HTTPS
    // port. An origin re-pointed since (a concurrent edit won a race) is not the endpoint that was
    // judged safe: switching it to HTTPS unprobed could take it down, so nothing is written.
    const moved = edits.filter((edit) => {
      const probed = planned.get(edit.originId);
      return probed && (probed.domainName !== edit.domainName || probed.httpsPort !== edit.httpsPort);
    });
    if (moved.length > 0) {
      const where = moved
        .map((edit) => {
          const probed = planned.get(edit.originId);
          return (
            `origin "${edit.originId}" now points at ${edit.domainName}:${edit.httpsPort}, ` +
            `not ${probed?.domainName}:${probed?.httpsPort} as assessed`
          );
        })
        .join("; ");
      throw new FixFailedError(
        `distribution ${id}: ${where}; not changed, the new endpoint has not been probed`,
        resource,
      );
    }
    return {
      config: applyEdits(config, edits),
      made: (ifMatch) => updateChange(id, edits, ifMatch),
    };
  });
}
