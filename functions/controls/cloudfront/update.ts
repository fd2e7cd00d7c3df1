import {
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { ConcurrentModificationError, errorName, FixFailedError } from "../../lib/errors.js";
import type { Change, ControlContext } from "../types.js";
import { distributionId } from "./distribution.js";

export const maxAttempts = 3;

/**
 * What one control does to a configuration it just read: the edited copy and
 * the call to report as made, or null when nothing is left to change.
 */
export type DistributionEdit = (
  config: DistributionConfig,
) => { config: DistributionConfig; made: (ifMatch: string) => Change } | null;

/**
 * The read-modify-write every CloudFront fix goes through. UpdateDistribution
 * replaces the whole configuration, so the one sent back is the one just read
 * under its ETag with only the control's own fields changed: an edit someone
 * else (or another control) made in between is never undone, because
 * CloudFront then answers PreconditionFailed and the edit starts over from
 * their version. Bounded, so a configuration that keeps changing fails loudly.
 */
export async function updateDistribution(
  ctx: ControlContext,
  resource: string,
  edit: DistributionEdit,
): Promise<Change | null> {
  const cloudfront = ctx.clients.cloudfront();
  const id = distributionId(resource);
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    if (!current.DistributionConfig || !current.ETag) {
      throw new FixFailedError(
        `distribution ${id}: GetDistributionConfig returned no configuration or ETag`,
        resource,
      );
    }
    const edited = edit(structuredClone(current.DistributionConfig));
    // Nothing left to change: the fix is already live (made before a crash, or by someone else).
    if (edited === null) return null;
    try {
      await cloudfront.send(
        new UpdateDistributionCommand({ Id: id, IfMatch: current.ETag, DistributionConfig: edited.config }),
      );
      return edited.made(current.ETag);
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

/** A planned call that is not an UpdateDistribution of this distribution is refused before anything is read. */
export function checkUpdateOf(resource: string, change: Change): void {
  const id = distributionId(resource);
  if (change.service !== "cloudfront" || change.action !== "UpdateDistribution" || change.input.Id !== id) {
    throw new FixFailedError(
      `${change.action} on ${String(change.input.Id)} is not a fix of distribution ${id}; nothing was changed`,
      resource,
    );
  }
}
