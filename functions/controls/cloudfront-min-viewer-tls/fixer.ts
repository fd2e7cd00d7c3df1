import { distributionId } from "../cloudfront/distribution.js";
import { checkUpdateOf, updateDistribution } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import { plannedPolicy, stillBelow, updateChange } from "./planner.js";

/** Raises only ViewerCertificate.MinimumProtocolVersion of the configuration just read, under its ETag. */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  checkUpdateOf(resource, change);
  const planned = plannedPolicy(change);
  if (!planned) return null;
  return updateDistribution(ctx, resource, (config) => {
    const certificate = config.ViewerCertificate;
    if (!certificate || !stillBelow(config, planned)) return null;
    const was = certificate.MinimumProtocolVersion ?? planned.was;
    certificate.MinimumProtocolVersion = planned.set.MinimumProtocolVersion;
    return {
      config,
      made: (ifMatch) => updateChange(distributionId(resource), { was, set: planned.set }, ifMatch),
    };
  });
}
