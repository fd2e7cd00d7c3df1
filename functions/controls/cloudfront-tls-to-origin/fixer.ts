import { GetDistributionConfigCommand, UpdateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { ConcurrentModificationError, FixFailedError } from "../../lib/errors.js";
import type { Change, ControlContext } from "../types.js";
import { applyEdits, type Plan, planOrigins, updateChange } from "./planner.js";
import { distributionId } from "./snapshot.js";

export const maxAttempts = 3;

/**
 * Writes the fix with optimistic concurrency. The configuration sent back is the
 * one just read under its ETag, with only the owned fields of the offending
 * origins changed, so an edit someone else made in between is never undone:
 * if they win the race, CloudFront answers PreconditionFailed and we start over
 * from their version.
 *
 * Only origins the plan names are touched: the plan is what was probed (and
 * perhaps approved); an origin that started offending since gets its own event
 * and its own risk assessment.
 */
export async function apply(ctx: ControlContext, resource: string, plan: Plan): Promise<Change[]> {
  const cloudfront = ctx.clients.cloudfront();
  const id = plan.distributionId || distributionId(resource);
  const planned = new Set(plan.origins.map((origin) => origin.originId));

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    if (!current.DistributionConfig || !current.ETag) {
      throw new FixFailedError(
        `distribution ${id}: GetDistributionConfig returned no configuration or ETag`,
        resource,
      );
    }
    const edits = planOrigins(current.DistributionConfig).filter((origin) => planned.has(origin.originId));
    if (edits.length === 0) return [];
    try {
      await cloudfront.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: current.ETag,
          DistributionConfig: applyEdits(current.DistributionConfig, edits),
        }),
      );
      return [updateChange(id, current.ETag, edits)];
    } catch (error) {
      if (error instanceof Error && error.name === "PreconditionFailed") continue;
      throw error;
    }
  }
  throw new ConcurrentModificationError(
    `distribution ${id}: UpdateDistribution failed with PreconditionFailed ${maxAttempts} times; ` +
      "the configuration keeps changing under the fix",
    resource,
  );
}
