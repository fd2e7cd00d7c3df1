import { GetDistributionConfigCommand, UpdateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { ConcurrentModificationError, errorName, FixFailedError } from "../../lib/errors.js";
import type { Change, ControlContext } from "../types.js";
import { applyEdits, plannedOrigins, planOrigins, updateChange } from "./planner.js";
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
 * and its own risk assessment, and one that was re-pointed at another host or
 * port since is not changed at all (the fix fails, nothing is written).
 */
export async function execute(ctx: ControlContext, resource: string, change: Change): Promise<Change | null> {
  const cloudfront = ctx.clients.cloudfront();
  const id = distributionId(resource);
  if (change.action !== "UpdateDistribution" || change.input.Id !== id) {
    throw new FixFailedError(
      `${change.action} on ${String(change.input.Id)} is not a fix of distribution ${id}; nothing was changed`,
      resource,
    );
  }
  const planned = new Map(plannedOrigins(change).map((origin) => [origin.originId, origin]));

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    if (!current.DistributionConfig || !current.ETag) {
      throw new FixFailedError(
        `distribution ${id}: GetDistributionConfig returned no configuration or ETag`,
        resource,
      );
    }
    const edits = planOrigins(current.DistributionConfig).filter((origin) => planned.has(origin.originId));
    // Nothing left to edit: the fix is already live (made before a crash, or by someone else).
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
    try {
      await cloudfront.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: current.ETag,
          DistributionConfig: applyEdits(current.DistributionConfig, edits),
        }),
      );
      return updateChange(id, edits, current.ETag);
    } catch (error) {
      if (errorName(error) === "PreconditionFailed") continue;
      throw error;
    }
  }
  throw new ConcurrentModificationError(
    `distribution ${id}: UpdateDistribution failed with PreconditionFailed ${maxAttempts} times; ` +
      "the configuration keeps changing under the fix",
    resource,
  );
}
