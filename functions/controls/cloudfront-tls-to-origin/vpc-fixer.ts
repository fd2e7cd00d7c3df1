import { UpdateVpcOriginCommand } from "@aws-sdk/client-cloudfront";
import { ConcurrentModificationError, errorName, FixFailedError } from "../../lib/errors.js";
import { distributionId } from "../cloudfront/distribution.js";
import { maxAttempts } from "../cloudfront/update.js";
import type { Change, ControlContext } from "../types.js";
import type { OriginFieldEdits } from "./detector.js";
import { applyVpcEdits, type PlannedVpcOrigin, vpcOriginChange } from "./planner.js";
import { readVpcOrigin } from "./snapshot.js";

/** The planned fields the endpoint does not have yet: what is left to write. */
function remaining(
  endpoint: { OriginProtocolPolicy?: string; OriginSslProtocols?: { Items?: string[] } },
  set: OriginFieldEdits,
): OriginFieldEdits {
  const left: OriginFieldEdits = {};
  if (set.OriginProtocolPolicy && endpoint.OriginProtocolPolicy !== set.OriginProtocolPolicy) {
    left.OriginProtocolPolicy = set.OriginProtocolPolicy;
  }
  const items = endpoint.OriginSslProtocols?.Items ?? [];
  if (set.OriginSslProtocols && (items.length !== 1 || items[0] !== "TLSv1.2")) {
    left.OriginSslProtocols = set.OriginSslProtocols;
  }
  return left;
}

/**
 * Not reached while CloudFront refuses UpdateVpcOrigin on a VPC origin a
 * distribution uses: risk.ts blocks every VPC origin fix, and the remediator is
 * not granted cloudfront:UpdateVpcOrigin.
 *
 * UpdateVpcOrigin under the ETag just read (IfMatch), as for a distribution:
 * the endpoint configuration goes back exactly as read, with only the planned
 * fields set; PreconditionFailed starts over from the other writer's version.
 * A VPC origin re-pointed at another load balancer or port since on-call
 * approved is not changed.
 */
export async function updateVpcOrigin(
  ctx: ControlContext,
  resource: string,
  planned: PlannedVpcOrigin,
): Promise<Change | null> {
  const cloudfront = ctx.clients.cloudfront();
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await readVpcOrigin(ctx, planned.vpcOriginId);
    if (!current) {
      throw new FixFailedError(
        `VPC origin ${planned.vpcOriginId} (used by distribution ${distributionId(resource)}) no longer exists; nothing was changed`,
        resource,
      );
    }
    const endpointArn = current.endpoint.Arn ?? "";
    const httpsPort = current.endpoint.HTTPSPort ?? 443;
    if (endpointArn !== planned.endpointArn || httpsPort !== planned.httpsPort) {
      throw new FixFailedError(
        `VPC origin ${planned.vpcOriginId} now fronts ${endpointArn}:${httpsPort}, not ` +
          `${planned.endpointArn}:${planned.httpsPort} as approved; not changed`,
        resource,
      );
    }
    const left = remaining(current.endpoint, planned.set);
    if (Object.keys(left).length === 0) return null;
    try {
      await cloudfront.send(
        new UpdateVpcOriginCommand({
          Id: planned.vpcOriginId,
          IfMatch: current.etag,
          VpcOriginEndpointConfig: applyVpcEdits(current.endpoint, left),
        }),
      );
      return vpcOriginChange(distributionId(resource), { ...planned, set: left }, current.etag);
    } catch (error) {
      if (errorName(error) === "PreconditionFailed") continue;
      throw error;
    }
  }
  throw new ConcurrentModificationError(
    `VPC origin ${planned.vpcOriginId}: UpdateVpcOrigin failed with PreconditionFailed ${maxAttempts} times; ` +
      "its configuration keeps changing under the fix",
    resource,
  );
}
